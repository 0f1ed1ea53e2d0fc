package dev.tailor.llm.chat;

/** One chat turn; role is typically system, user or assistant. */
public record ChatMessage(String role, String content) {

    public ChatMessage {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("A chat message needs a role (system, user or assistant)");
        }
        content = content == null ? "" : content;
    }
}
