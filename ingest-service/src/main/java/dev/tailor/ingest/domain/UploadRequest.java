package dev.tailor.ingest.domain;

import dev.tailor.common.storage.ObjectLayout;
import dev.tailor.common.values.Checks;

/**
 * What a client asked for with an upload.
 *
 * @param tenant owner of the dataset
 * @param name dataset name (defaults to the file name)
 * @param fileName file name to keep under raw/ (sanitized)
 * @param contentType declared media type, a hint for format detection
 * @param autoTrain train as soon as the dataset is cleaned
 * @param baseModel base model to fine-tune (null = the training service's default)
 * @param cleaningConfig per-dataset cleaning settings as JSON (null = service defaults)
 * @param source how it arrived, e.g. "upload" or "multipart"
 * @param principal who uploaded it (recorded in the manifest, the event and the audit trail), or null
 */
public record UploadRequest(String tenant, String name, String fileName, String contentType, boolean autoTrain,
                            String baseModel, String cleaningConfig, String source, String principal) {
    private static final java.util.regex.Pattern TENANT = java.util.regex.Pattern.compile(Checks.TENANT_PATTERN);

    public UploadRequest {
        if (tenant == null || !TENANT.matcher(tenant).matches()) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Invalid tenant", "tenant must be 1-63 lower-case letters, digits or '-', got '" + tenant + "'");
        }
        fileName = sanitizeName(fileName == null || fileName.isBlank() ? (name == null || name.isBlank() ? "upload" : name) : fileName);
        if (name == null || name.isBlank()) {
            name = fileName;
        }
        if (name.length() > 200) {
            throw new IngestFailure(IngestFailure.Reason.INVALID, "Invalid name", "name must be at most 200 characters, got " + name.length());
        }
        if (baseModel != null && baseModel.isBlank()) {
            baseModel = null;
        }
    }

    /** This request with other per-dataset cleaning settings. */
    public UploadRequest withCleaningConfig(String json) {
        return new UploadRequest(tenant, name, fileName, contentType, autoTrain, baseModel, json, source, principal);
    }

    /** A file name safe as the last segment of an object key: letters, digits, '.', '-', '_'. */
    public static String sanitizeName(String name) {
        String base = name.replace('\\', '/');
        base = base.substring(base.lastIndexOf('/') + 1);
        String clean = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[.]+", "");
        if (clean.isEmpty() || ObjectLayout.RESERVED_NAMES.contains(clean)) {
            clean = "upload" + (clean.isEmpty() ? "" : "-" + clean);
        }
        return clean.length() > 120 ? clean.substring(clean.length() - 120) : clean;
    }
}
