package dev.tailor.llm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.tailor.common.events.Projection;
import dev.tailor.llm.io.CheckpointLoader;
import dev.tailor.llm.lora.LoraAdapter;
import dev.tailor.llm.lora.LoraConfig;
import dev.tailor.llm.model.Transformer;
import dev.tailor.llm.train.batch.MicroBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Autograd gradients of the answer loss w.r.t. LoRA weights agree with central finite differences. */
class GradientCheckTest {

    @Test
    void loraGradientsMatchFiniteDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer base = CheckpointLoader.loadModel(TinyLlama.DIR, m);
            LoraAdapter adapter = LoraAdapter.init(base,
                    new LoraConfig(4, 8, 0.0, List.of(Projection.Q_PROJ, Projection.V_PROJ)), 3);
            // non-zero B so that A gets a gradient too
            NDArray bq = adapter.parameters().get(LoraAdapter.tensorName(0, Projection.V_PROJ, 'B'));
            bq.set(m.randomNormal(bq.getShape()).mul(0.1f).toByteBuffer());
            MicroBatch batch = MicroBatch.of(TinyLlama.examples(2), 0);
            adapter.parameters().values().forEach(p -> p.setRequiresGradient(true));
            for (String name : List.of(LoraAdapter.tensorName(0, Projection.V_PROJ, 'B'),
                    LoraAdapter.tensorName(1, Projection.Q_PROJ, 'A'))) {
                NDArray p = adapter.parameters().get(name);
                float analytic;
                try (NDManager s = m.newSubManager()) {
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(loss(base, adapter, batch, s));
                    }
                    NDArray g = p.getGradient();
                    analytic = g.getFloat(0, 1);
                    g.subi(g);
                }
                float h = 1e-2f;
                float orig = p.getFloat(0, 1);
                double plus = shifted(base, adapter, batch, p, orig + h, m);
                double minus = shifted(base, adapter, batch, p, orig - h, m);
                shifted(base, adapter, batch, p, orig, m);
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, analytic, 2e-3 + 0.02 * Math.abs(numeric), name);
            }
        }
    }

    private static double shifted(Transformer base, LoraAdapter adapter, MicroBatch batch, NDArray p, float value,
                                  NDManager m) {
        p.set(new NDIndex(0, 1), value);
        try (NDManager s = m.newSubManager()) {
            return loss(base, adapter, batch, s).getFloat();
        }
    }

    private static NDArray loss(Transformer base, LoraAdapter adapter, MicroBatch batch, NDManager s) {
        NDArray logits = base.forward(batch.inputIds(s), null, adapter, true);
        return AnswerLoss.sum(logits, batch.targetIds(s), batch.lossMask(s))
                .div(s.create((float) batch.answerTokens()));
    }
}
