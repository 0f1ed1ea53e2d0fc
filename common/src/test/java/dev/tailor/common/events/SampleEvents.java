package dev.tailor.common.events;

import java.util.List;

/** One realistic event per topic. */
final class SampleEvents {
    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private SampleEvents() {
    }

    static List<TailorEvent> all() {
        String b = "s3://tailor/acme/";
        return List.of(
                IngestRequested.create("acme", "support-faq", "Support FAQ", List.of("s3://inbox/faq/2024-05.jsonl",
                        "s3://inbox/faq/tickets/"), null, true, "qwen2.5-0.5b-instruct"),
                DatasetIngested.create("acme", "support-faq", "Support FAQ", b + "raw/support-faq/",
                        b + "raw/support-faq/manifest.json", "openai-chat-jsonl", 1342, SHA),
                DatasetCleaned.create("acme", "support-faq", "v3-1a2b3c", b + "datasets/support-faq/v3-1a2b3c/train.jsonl",
                        b + "datasets/support-faq/v3-1a2b3c/validation.jsonl", b + "datasets/support-faq/v3-1a2b3c/test.jsonl",
                        b + "datasets/support-faq/v3-1a2b3c/report.json", 1074, 134, 134, b + "raw/support-faq/manifest.json"),
                TrainingRequested.create("acme", "job-7f3a", "support-faq", "v3-1a2b3c", "qwen2.5-0.5b-instruct",
                        TrainingParams.defaults(), b + "datasets/support-faq/v3-1a2b3c/train.jsonl",
                        b + "datasets/support-faq/v3-1a2b3c/validation.jsonl",
                        b + "datasets/support-faq/v3-1a2b3c/test.jsonl"),
                TrainingProgress.create("acme", new TrainingProgress.Job("job-7f3a", "support-faq", "v3-1a2b3c",
                        "m-20240501-7f3a"), TrainingProgress.RUNNING, 40, 268, 0, 1.873, 1.912, 1.8e-3, 1450.5, 620.0,
                        null),
                ModelTrained.create("acme", "m-20240501-7f3a", "job-7f3a", "support-faq", "v3-1a2b3c",
                        "qwen2.5-0.5b-instruct", b + "models/tuned/m-20240501-7f3a/",
                        b + "datasets/support-faq/v3-1a2b3c/test.jsonl", 1.21, 1.35).withPrincipal("alice@acme.example"),
                ModelEvaluated.create("acme", "m-20240501-7f3a", "support-faq", "qwen2.5-0.5b-instruct",
                        b + "models/tuned/m-20240501-7f3a/", b + "evals/m-20240501-7f3a/report.json", 2.41, 1.33,
                        ModelEvaluated.PROMOTE, "tuned loss 1.33 is 45% below base loss 2.41 (gate: 5%)"),
                ModelDeployment.create("acme", "support-bot", "m-20240501-7f3a", "qwen2.5-0.5b-instruct",
                        b + "models/tuned/m-20240501-7f3a/", true),
                ModelDeployment.of("acme", "support-bot", new DeploymentTarget("m-20240502-9c1d",
                        "qwen2.5-0.5b-instruct", b + "models/tuned/m-20240502-9c1d/", "support-faq"),
                        new DeploymentTarget("m-20240503-0e2f", "qwen2.5-0.5b-instruct",
                                b + "models/tuned/m-20240503-0e2f/", "support-faq"), 10,
                        List.of(new DeploymentTarget("m-20240501-7f3a", "qwen2.5-0.5b-instruct",
                                b + "models/tuned/m-20240501-7f3a/", "support-faq")),
                        "canary m-20240503-0e2f was rejected by the gate (tuned loss 1.40 vs base 1.38); served on"
                                + " purpose", true, true),
                CompletionLogged.create("acme", "chatcmpl-9f8e7d", "support-bot", new DeploymentTarget(
                        "m-20240502-9c1d", "qwen2.5-0.5b-instruct", b + "models/tuned/m-20240502-9c1d/",
                        "support-faq"), List.of(new CompletionLogged.Message("user", "My e-mail is <EMAIL>; how do I"
                        + " reset my password?")), "Open Settings, then Security.", "stop", 21, 7, 480, 95, 1),
                CompletionFeedback.create("acme", "chatcmpl-9f8e7d", b + "completions/chatcmpl-9f8e7d.json",
                        "support-bot", "m-20240502-9c1d", "support-faq", 2, "Open Settings > Security > Reset."),
                DatasetDeleted.create("acme", "support-faq", "apikey:0123456789abcdef"),
                AuditEvent.of("acme", AuditEvent.service("eval-service"), "alice@acme.example", AuditEvent.MODEL_DEPLOYED,
                        "deployment", "support-bot", java.util.Map.of("modelId", "m-20240501-7f3a")));
    }
}
