package dev.tailor.llm.chat.jinja;

import java.time.Clock;
import java.time.Instant;

/**
 * The work and time left to the render running on this thread. Jinjava renders synchronously on the calling
 * thread, so the node pre-processor, the bounded {@code for} tag and the template functions find the budget of
 * their render here.
 */
final class RenderBudget implements AutoCloseable {
    private static final ThreadLocal<RenderBudget> CURRENT = new ThreadLocal<>();
    /** Check the clock once per this many units of work. */
    private static final int CLOCK_EVERY = 1024;

    private final RenderLimits limits;
    private final Clock clock;
    private final long deadlineNanos;
    private final RenderBudget outer;
    private long work;
    private String exceeded;

    private RenderBudget(RenderLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.deadlineNanos = System.nanoTime() + limits.timeout().toNanos();
        this.outer = CURRENT.get();
    }

    static RenderBudget open(RenderLimits limits, Clock clock) {
        RenderBudget budget = new RenderBudget(limits, clock);
        CURRENT.set(budget);
        return budget;
    }

    /** The budget of the render on this thread; a call outside a render gets an error, not a free pass. */
    static RenderBudget current() {
        RenderBudget b = CURRENT.get();
        if (b == null) {
            throw new IllegalStateException("no chat template render is running on this thread");
        }
        return b;
    }

    /** Spends {@code units} of work; past the limit or the deadline the render stops. */
    void charge(long units) {
        if (exceeded != null) { // stays stopped even if something caught the first error
            throw new TemplateLimitError(exceeded);
        }
        long before = work;
        work += units;
        if (work > limits.maxWork()) {
            exceeded = "the template did more than " + limits.maxWork()
                    + " steps of work (loops and nodes); it must not loop without bound";
            throw new TemplateLimitError(exceeded);
        }
        if (before / CLOCK_EVERY != work / CLOCK_EVERY && System.nanoTime() > deadlineNanos) {
            exceeded = "the template ran longer than " + limits.timeout().toMillis() + " ms";
            throw new TemplateLimitError(exceeded);
        }
    }

    Instant now() {
        return clock.instant();
    }

    Clock clock() {
        return clock;
    }

    @Override
    public void close() {
        if (outer == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(outer);
        }
    }
}
