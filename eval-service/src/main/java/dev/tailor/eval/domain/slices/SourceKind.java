package dev.tailor.eval.domain.slices;

import java.util.Locale;

/** What kind of source an example came from. */
public enum SourceKind {
    FAQ("FAQ"),
    EMAIL("e-mail"),
    TICKET("ticket"),
    DOCUMENT("document"),
    OTHER("other");

    private final String label;

    SourceKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /**
     * From a name as ingest or a user writes it: {@code faq}, {@code email}/{@code e-mail}/{@code mbox}/{@code eml},
     * {@code ticket}, {@code document}/{@code doc}/{@code text}; anything else, or null, is {@link #OTHER}.
     */
    public static SourceKind of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (n) {
            case "faq", "qa" -> FAQ;
            case "email", "mail", "mbox", "eml" -> EMAIL;
            case "ticket", "tickets" -> TICKET;
            case "document", "doc", "docs", "text" -> DOCUMENT;
            default -> OTHER;
        };
    }
}
