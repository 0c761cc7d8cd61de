package dev.rig.template;

import dev.rig.core.Source;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The FreeMarker settings a template author relies on: ?url escapes as UTF-8, numbers print without
 * grouping, booleans as true/false, and nothing depends on the operator's locale or time zone.
 */
class TemplateSettingsTest {
    private static final Source SRC = new Source("templates/app.env.ftl", 1, 1);

    private static String render(String text, Map<String, Object> vars) {
        return new Templates().render(text, SRC, vars);
    }

    private static Map<String, Object> vars() {
        Map<String, Object> v = new HashMap<>();
        v.put("db_password", "p@ss w/ö:%#?");
        v.put("port", 8080);
        v.put("big", 1234567.25);
        v.put("on", true);
        return v;
    }

    /** Runs with a machine whose default locale and time zone are far from English/UTC, then restores them. */
    private static <T> T onMachine(Locale locale, String zone, Supplier<T> body) {
        Locale savedLocale = Locale.getDefault();
        TimeZone savedZone = TimeZone.getDefault();
        try {
            Locale.setDefault(locale);
            TimeZone.setDefault(TimeZone.getTimeZone(zone));
            return body.get();
        } finally {
            Locale.setDefault(savedLocale);
            TimeZone.setDefault(savedZone);
        }
    }

    @Test
    void urlEscapesAPasswordAsUtf8ForADsn() {
        assertEquals("postgres://app:p%40ss%20w%2F%C3%B6%3A%25%23%3F@db/app",
                render("postgres://app:${db_password?url}@db/app", vars()));
        assertEquals("p%40ss%20w/%C3%B6%3A%25%23%3F", render("${db_password?url_path}", vars()));
    }

    @Test
    void numbersAndBooleansPrintAsComputerFormat() {
        assertEquals("8080 1234567.25 true", render("${port} ${big} ${on}", vars()));
        assertEquals("yes", render("${on?string('yes', 'no')}", vars()));
    }

    @Test
    void dateTimesPrintAsIso8601InUtc() {
        assertEquals("2024-01-02T03:04:05Z 2024-01-02 03:04:05Z",
                render("<#assign t = '2024-01-02T03:04:05Z'?datetime.iso>${t} ${t?date} ${t?time}", vars()));
    }

    @Test
    void outputDoesNotDependOnTheMachinesLocaleOrTimeZone() {
        String text = "${port} ${big} ${on} ${'title'?upper_case} ${db_password?url}"
                + " <#assign t = '2024-01-02T03:04:05Z'?datetime.iso>${t} ${t?string('yyyy-MM-dd HH:mm EEE')}";
        String here = render(text, vars());
        assertEquals("8080 1234567.25 true TITLE p%40ss%20w%2F%C3%B6%3A%25%23%3F 2024-01-02T03:04:05Z 2024-01-02 03:04 Tue", here);
        // German grouping and decimal comma, Turkish dotless I, a zone 14 hours from UTC
        assertEquals(here, onMachine(Locale.GERMANY, "Pacific/Kiritimati", () -> render(text, vars())));
        assertEquals(here, onMachine(Locale.forLanguageTag("tr-TR"), "America/Los_Angeles", () -> render(text, vars())));
        assertEquals(here, onMachine(Locale.forLanguageTag("ar-EG-u-nu-arab"), "Asia/Kolkata", () -> render(text, vars())));
    }
}
