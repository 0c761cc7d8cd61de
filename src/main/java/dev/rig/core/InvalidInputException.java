package dev.rig.core;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when input was checked and found wrong; carries every error found, not only the first. */
public class InvalidInputException extends RuntimeException {
    private final List<InputError> errors;

    public InvalidInputException(List<InputError> errors) {
        super(errors.stream().map(InputError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public InvalidInputException(Source source, String message) {
        this(List.of(new InputError(source, message)));
    }

    public List<InputError> errors() {
        return errors;
    }
}
