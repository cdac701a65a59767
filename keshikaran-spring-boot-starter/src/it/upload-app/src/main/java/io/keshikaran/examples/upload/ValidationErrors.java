package io.keshikaran.examples.upload;

import java.util.List;
import java.util.Map;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.BindException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

/** Sends violations back as {@code 400 {"errors": [messages]}}, in the request's language. */
@RestControllerAdvice
public class ValidationErrors {

    @ExceptionHandler(HandlerMethodValidationException.class)
    ResponseEntity<Map<String, List<String>>> parameters(HandlerMethodValidationException e) {
        return badRequest(e.getAllErrors());
    }

    @ExceptionHandler(BindException.class)
    ResponseEntity<Map<String, List<String>>> form(BindException e) {
        return badRequest(e.getAllErrors());
    }

    private static ResponseEntity<Map<String, List<String>>> badRequest(List<? extends MessageSourceResolvable> errors) {
        return ResponseEntity.badRequest().body(Map.of("errors",
                errors.stream().map(MessageSourceResolvable::getDefaultMessage).toList()));
    }
}
