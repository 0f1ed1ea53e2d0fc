package dev.tailor.common.schema;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.FieldScope;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;
import dev.tailor.common.Topics;
import dev.tailor.common.events.EventTypes;
import dev.tailor.common.events.TrainingParams;
import dev.tailor.common.json.Json;
import dev.tailor.common.storage.Manifest;
import dev.tailor.common.values.AllowedValues;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Generates the contract's JSON Schemas (draft 2020-12) from its records: one per topic and one for
 * {@code manifest.json}. The records' constraint annotations (jakarta.validation, {@link AllowedValues}) and Jackson
 * descriptions say what the schemas say; {@link TrainingParams#defaults()} gives the parameters' defaults.
 * {@code main(dir)} writes them ({@link #REGENERATE}); {@code SchemaFilesTest} fails while a checked-in schema differs from what this generates.
 */
public final class SchemaFiles {
    static final String BASE_ID = "https://tailor.dev/schemas/";
    /** The command that rewrites common/src/main/resources/schemas from the records. */
    static final String REGENERATE = "mvn -o -pl common test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java@schemas";
    private static final String INSTANT_PATTERN =
            "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$";
    private static final SchemaGenerator GENERATOR = new SchemaGenerator(config());

    private SchemaFiles() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SchemaFiles <output folder>");
        }
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Map.Entry<String, String> e : all().entrySet()) {
            Files.createDirectories(dir.resolve(e.getKey()).getParent());
            Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            System.out.println("wrote " + dir.resolve(e.getKey()));
        }
    }

    /** Path under schemas/ → schema text, for every topic and the manifest. */
    static Map<String, String> all() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String topic : Topics.ALL) {
            String file = Path.of(EventTypes.schemaResource(topic)).getFileName().toString();
            out.put(file, text(EventTypes.typeOf(topic), file));
        }
        // documents in S3, apart from the topics' schemas (one file per topic directly under schemas/)
        out.put("objects/manifest.schema.json", text(Manifest.class, "objects/manifest.schema.json"));
        return out;
    }

    static String text(Class<?> type, String file) {
        ObjectNode generated = GENERATOR.generateSchema(type);
        FlatParamNames.addTo(generated);
        ObjectNode schema = Json.mapper().createObjectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.put("$id", BASE_ID + file);
        schema.put("title", type.getSimpleName());
        for (String key : List.of("description", "type", "required", "properties")) {
            if (generated.has(key)) {
                schema.set(key, generated.remove(key));
            }
        }
        schema.setAll(generated);
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
                .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        try {
            return Json.mapper().writer(printer).writeValueAsString(schema) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static com.github.victools.jsonschema.generator.SchemaGeneratorConfig config() {
        SchemaGeneratorConfigBuilder b = new SchemaGeneratorConfigBuilder(Json.mapper(), SchemaVersion.DRAFT_2020_12,
                OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.FLATTENED_ENUMS_FROM_JSONVALUE))
                .with(new JakartaValidationModule(JakartaValidationOption.NOT_NULLABLE_FIELD_IS_REQUIRED,
                        JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
                .with(Option.EXTRA_OPEN_API_FORMAT_VALUES)
                .without(Option.SCHEMA_VERSION_INDICATOR);
        b.forTypesInGeneral().withPropertySorter((a, c) -> 0); // declaration order
        b.forFields().withEnumResolver(SchemaFiles::allowed);
        b.forFields().withDefaultResolver(SchemaFiles::trainingDefault);
        b.forFields().withStringPatternResolver(field -> field.getType() != null
                && field.getType().getErasedType() == java.time.Instant.class ? INSTANT_PATTERN : null);
        b.forTypesInGeneral().withTypeAttributeOverride((node, scope, context) -> {
            if (node.has("properties") && !node.has("additionalProperties")) {
                node.put("additionalProperties", true); // new fields are optional; readers ignore unknown ones
            }
        });
        return b.build();
    }

    private static List<String> allowed(FieldScope field) {
        AllowedValues values = field.isFakeContainerItemScope()
                ? field.getAnnotationConsideringFieldAndGetter(AllowedValues.class)
                : field.isContainerType() ? null : field.getAnnotationConsideringFieldAndGetter(AllowedValues.class);
        return values == null ? null : Arrays.asList(values.value());
    }

    /**
     * A training parameter's default, from {@link TrainingParams#defaults()}: fields of TrainingParams itself and of its
     * groups (lora, optimizer, ...); the groups themselves get none (their fields have theirs).
     */
    private static Object trainingDefault(FieldScope field) {
        if (field.isFakeContainerItemScope()) {
            return null;
        }
        Class<?> declaring = field.getDeclaringType().getErasedType();
        Object defaults = declaring == TrainingParams.class ? TrainingParams.defaults()
                : declaring.getEnclosingClass() == TrainingParams.class ? group(declaring) : null;
        if (defaults == null || !declaring.isRecord()) {
            return null;
        }
        for (RecordComponent c : declaring.getRecordComponents()) {
            if (c.getName().equals(field.getName()) && !c.getType().isRecord()) {
                try {
                    return c.getAccessor().invoke(defaults);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    /** The default value of the group of TrainingParams whose type is {@code type}. */
    private static Object group(Class<?> type) {
        for (RecordComponent c : TrainingParams.class.getRecordComponents()) {
            if (c.getType() == type) {
                try {
                    return c.getAccessor().invoke(TrainingParams.defaults());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }
}
