package dev.tailor.common.storage;

/** The object (or bucket) asked for does not exist. */
public final class ObjectNotFoundException extends StorageException {
    public ObjectNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
