package dev.tailor.dataprep.example;

/** A record that a rule refused, with the rule's name and a reason a user can act on. */
public final class RecordRejected extends RuntimeException {
    private final String rule;

    public RecordRejected(String rule, String reason) {
        super(reason, null, false, false);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
