package dev.tailor.security.identity;

import dev.tailor.common.storage.ObjectLayout;
import java.util.Set;

/**
 * Who is calling: the tenant all of this request acts in (from the identity, never from a header), the principal
 * recorded in audit events and manifests, and the roles (with what they imply).
 */
public record Caller(String tenant, String principal, Set<String> roles) {
    public Caller {
        dev.tailor.common.values.Checks.tenant(tenant);
        dev.tailor.common.values.Checks.notBlank("principal", principal);
        roles = Set.copyOf(roles);
    }

    /** The object keys of the caller's tenant. */
    public ObjectLayout layout() {
        return new ObjectLayout(tenant);
    }
}
