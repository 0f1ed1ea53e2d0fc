package dev.tailor.eval.domain.request;

import dev.tailor.common.values.RequestRejected;

/** An evaluation that cannot be asked for as it is. */
public final class EvalRejected extends RequestRejected {
    /** @param field the request field at fault, or null */
    public EvalRejected(Reason reason, String title, String detail, String field) {
        super(reason, title, detail, field);
    }
}
