package dev.tailor.dataprep.example;

import java.util.Objects;

/** One chat turn: role is system, user or assistant. */
public record Message(String role, String content) {
    public Message {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public Message withContent(String newContent) {
        return new Message(role, newContent);
    }
}
