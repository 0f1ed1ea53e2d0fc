package dev.tailor.common.values;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The values a string field (or the items of a list field) may take, for the generated JSON Schema ({@code enum});
 * the record's constructor checks the same list with {@link Checks#oneOf}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
public @interface AllowedValues {
    String[] value();
}
