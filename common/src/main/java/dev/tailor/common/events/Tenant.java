package dev.tailor.common.events;

import dev.tailor.common.values.Checks;

/**
 * The tenant a service instance serves ({@code tailor.tenant}): the one place that says whether an event is ours.
 * A service reads only events of its tenant and writes only under its tenant's prefix.
 */
public record Tenant(String id) {
    private static final System.Logger LOG = System.getLogger(Tenant.class.getName());

    public Tenant {
        Checks.tenant(id);
    }

    /** Whether {@code event} belongs to this tenant; an event of another tenant is logged (debug) and skipped. */
    public boolean owns(TailorEvent event) {
        if (id.equals(event.tenant())) {
            return true;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "skipping " + event.getClass().getSimpleName() + " " + event.key()
                + " of tenant " + event.tenant() + " (this service serves " + id + ")");
        return false;
    }
}
