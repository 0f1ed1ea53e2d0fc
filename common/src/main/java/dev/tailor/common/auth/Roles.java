package dev.tailor.common.auth;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles every Tailor endpoint checks, and what each implies:
 * <ul>
 *   <li>{@code viewer}: read datasets, their status, training jobs, evaluations</li>
 *   <li>{@code data-editor}: upload, add versions to and delete datasets (and read)</li>
 *   <li>{@code trainer}: start and cancel training jobs (and read)</li>
 *   <li>{@code inference-client}: list served models and call the OpenAI-compatible API</li>
 *   <li>{@code admin}: all of the above, and manage the tenant's API keys</li>
 * </ul>
 */
public final class Roles {
    public static final String ADMIN = "admin";
    public static final String DATA_EDITOR = "data-editor";
    public static final String TRAINER = "trainer";
    public static final String VIEWER = "viewer";
    public static final String INFERENCE_CLIENT = "inference-client";
    /** Every role, in the order of the list above (admin last). */
    public static final List<String> ALL = List.of(VIEWER, DATA_EDITOR, TRAINER, INFERENCE_CLIENT, ADMIN);

    private static final Map<String, Set<String>> IMPLIES = Map.of(
            ADMIN, Set.of(DATA_EDITOR, TRAINER, VIEWER, INFERENCE_CLIENT),
            DATA_EDITOR, Set.of(VIEWER),
            TRAINER, Set.of(VIEWER));

    private Roles() {
    }

    /** {@code granted} with every role they imply; names that are not Tailor roles are kept as they are. */
    public static Set<String> withImplied(Set<String> granted) {
        Set<String> out = new LinkedHashSet<>(granted);
        for (String role : granted) {
            out.addAll(IMPLIES.getOrDefault(role, Set.of()));
        }
        return Set.copyOf(out);
    }

    /** {@code roles}, each checked to be a Tailor role; at least one. */
    public static Set<String> require(java.util.Collection<String> roles) {
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("roles must name at least one of " + ALL);
        }
        for (String role : roles) {
            if (!ALL.contains(role)) {
                throw new IllegalArgumentException("unknown role '" + role + "'; roles are " + ALL);
            }
        }
        return Set.copyOf(new LinkedHashSet<>(roles));
    }
}
