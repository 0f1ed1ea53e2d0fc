package dev.tailor.common.storage;

/** An object-store operation failed; the message names the operation, the object and the cause. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
