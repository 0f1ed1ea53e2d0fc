package dev.tailor.llm.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.tailor.llm.io.CheckpointLoader;
import dev.tailor.llm.model.Transformer;
import dev.tailor.llm.train.batch.MicroBatch;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerLossTest {

    @Test
    void onlyAnswerTokensCountAndValueMatchesAHandComputedCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            Transformer model = CheckpointLoader.loadModel(TinyLlama.DIR, m);
            MicroBatch batch = MicroBatch.of(List.of(TinyLlama.qa("Q: hours? A:", " 9 to 5."),
                    TinyLlama.qa("Q: refund? A:", " 30 days.")), 0);
            try (NDManager s = m.newSubManager()) {
                NDArray logits = model.forward(batch.inputIds(s), null, null, false); // (B, T, V)
                double loss = AnswerLoss.sum(logits, batch.targetIds(s), batch.lossMask(s)).getFloat();
                assertEquals(reference(logits, batch), loss, 1e-3 * Math.abs(loss));

                // change the label of a prompt position: the loss must not move
                long[] targets = batch.targets().clone();
                int promptPos = 3;
                assertEquals(0f, batch.mask()[promptPos]);
                targets[promptPos] = (targets[promptPos] + 7) % 259;
                MicroBatch changed = new MicroBatch(batch.inputs(), targets, batch.mask(), batch.rows(),
                        batch.cols(), batch.answerTokens(), batch.tokens());
                double same = AnswerLoss.sum(logits, changed.targetIds(s), changed.lossMask(s)).getFloat();
                assertEquals(loss, same, 0.0);

                // change the label of an answer position: it must
                int answerPos = -1;
                for (int i = 0; i < batch.mask().length && answerPos < 0; i++) {
                    answerPos = batch.mask()[i] == 1f ? i : -1;
                }
                long[] t2 = batch.targets().clone();
                t2[answerPos] = (t2[answerPos] + 7) % 259;
                MicroBatch changed2 = new MicroBatch(batch.inputs(), t2, batch.mask(), batch.rows(), batch.cols(),
                        batch.answerTokens(), batch.tokens());
                assertNotEquals(loss, AnswerLoss.sum(logits, changed2.targetIds(s), changed2.lossMask(s)).getFloat());
            }
        }
    }

    /** -sum log softmax(logits)[target] over masked positions, in doubles. */
    private static double reference(NDArray logits, MicroBatch b) {
        float[] l = logits.toFloatArray();
        int v = (int) logits.getShape().get(2);
        double sum = 0;
        for (int pos = 0; pos < b.rows() * b.cols(); pos++) {
            if (b.mask()[pos] == 0f) {
                continue;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, l[pos * v + k]);
            }
            double z = 0;
            for (int k = 0; k < v; k++) {
                z += Math.exp(l[pos * v + k] - max);
            }
            sum -= l[pos * v + (int) b.targets()[pos]] - max - Math.log(z);
        }
        return sum;
    }
}
