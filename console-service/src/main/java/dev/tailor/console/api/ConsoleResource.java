package dev.tailor.console.api;

import dev.tailor.common.auth.Roles;
import dev.tailor.console.config.ConsoleSettings;
import dev.tailor.console.messaging.PipelineFeed;
import dev.tailor.security.identity.Callers;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

/**
 * What the console adds to the services' APIs: the live pipeline events of the caller's tenant as server-sent events
 * and the training progress it has seen (everything else, the cleaning report included, comes from the services
 * through the proxy).
 */
@Path("/console/v1")
public class ConsoleResource {
    private final PipelineFeed feed;
    private final Callers callers;
    private final ConsoleSettings settings;

    public ConsoleResource(PipelineFeed feed, Callers callers, ConsoleSettings settings) {
        this.feed = feed;
        this.callers = callers;
        this.settings = settings;
    }

    /**
     * The caller's tenant's pipeline events from now on: event name = stage ({@code dataset.cleaned},
     * {@code training.progress}, …), data = the event's JSON; first a {@code ready} event, then a {@code heartbeat}
     * every {@code tailor.console.heartbeat}.
     */
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Roles.VIEWER)
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        String tenant = callers.current().tenant();
        Multi<OutboundSseEvent> ready = Multi.createFrom().item(() -> sse.newEventBuilder().name("ready")
                .data("{\"tenant\":\"" + tenant + "\"}").build());
        Multi<OutboundSseEvent> events = feed.events().filter(e -> e.tenant().equals(tenant))
                .map(e -> sse.newEventBuilder().name(e.stage()).data(e.json()).build());
        Multi<OutboundSseEvent> beats = Multi.createFrom().ticks().every(settings.heartbeat())
                .map(t -> sse.newEventBuilder().name("heartbeat").data("{}").build());
        return Multi.createBy().concatenating().streams(ready,
                Multi.createBy().merging().streams(events, beats));
    }

    /**
     * The progress events of a training job of the caller's tenant that this console has seen since it started, as a
     * JSON array, oldest first (a job page draws its loss curve so far, then follows the live events).
     */
    @GET
    @Path("/jobs/{jobId}/progress")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.VIEWER)
    public String progress(@PathParam("jobId") String jobId) {
        String tenant = callers.current().tenant();
        return "[" + String.join(",", feed.progress(tenant, jobId)) + "]";
    }
}
