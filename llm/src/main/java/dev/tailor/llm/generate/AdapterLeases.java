package dev.tailor.llm.generate;

import dev.tailor.llm.model.ProjectionDelta;

/** Where a {@link BatchDecoder} takes the adapters its sequences name, each held for the sequence's lifetime. */
@FunctionalInterface
public interface AdapterLeases {

    /** No adapters: a request naming one is refused. */
    AdapterLeases NONE = name -> {
        throw new IllegalArgumentException("No adapter named '" + name + "' is loaded; this decoder has none");
    };

    /**
     * The adapter loaded under {@code name}, held until the lease is closed.
     *
     * @throws IllegalArgumentException when no adapter of that name is loaded
     */
    Lease acquire(String name);

    /** An adapter in use by one sequence. */
    interface Lease extends AutoCloseable {
        ProjectionDelta delta();

        /** The adapter's own (extended) tokenizer, or null when it uses the base's. */
        default dev.tailor.llm.chat.TextTokenizer tokenizer() {
            return null;
        }

        @Override
        void close();
    }
}
