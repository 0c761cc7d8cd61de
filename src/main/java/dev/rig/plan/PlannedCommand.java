package dev.rig.plan;

/**
 * One command of a planned task: what a plan shows ({@code description}, null when no_log hides it) and
 * the sha256 of the script that runs, with its stdin ({@link HostCommand#digest()}; for an API call, of its
 * request). The two differ on purpose: {@code mkdir /srv/app} runs {@code mkdir -p -- /srv/app}, and only the
 * digest says what was reviewed. {@code sha256} is null when the task result carried none (it then matches no script).
 */
public record PlannedCommand(String description, String sha256) {}
