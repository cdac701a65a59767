package io.keshikaran.video;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the sampled frames' scores become the video's score. Immutable.
 *
 * <ul>
 *   <li>{@link #max()} (default): the highest frame score, with that frame's probabilities; one
 *       explicit frame flags the video;</li>
 *   <li>{@link #mean()}: the mean of all frame scores, with each label's probability averaged;</li>
 *   <li>{@link #meanOfTopK(int)}: the mean over the {@code k} highest-scoring frames, which ignores
 *       a single misclassified frame but still catches a short explicit scene.</li>
 * </ul>
 */
public final class FrameAggregation {
    private static final FrameAggregation MAX = new FrameAggregation(1, false);
    private static final FrameAggregation MEAN = new FrameAggregation(Integer.MAX_VALUE, true);

    private final int k;
    private final boolean all;

    private FrameAggregation(int k, boolean all) {
        this.k = k;
        this.all = all;
    }

    /** The highest frame score, with that frame's probabilities. */
    public static FrameAggregation max() {
        return MAX;
    }

    /** The mean over all sampled frames. */
    public static FrameAggregation mean() {
        return MEAN;
    }

    /**
     * The mean over the {@code k} highest-scoring frames (all of them if fewer were sampled).
     *
     * @param k at least 1; 1 is {@link #max()}
     * @return the aggregation
     * @throws IllegalArgumentException if {@code k < 1}
     */
    public static FrameAggregation meanOfTopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        return k == 1 ? MAX : new FrameAggregation(k, false);
    }

    /**
     * Parses {@code max}, {@code mean} or {@code top-K} (such as {@code top-3}), as the CLI takes it.
     *
     * @param text the name
     * @return the aggregation
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static FrameAggregation parse(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("max")) {
            return MAX;
        }
        if (t.equals("mean")) {
            return MEAN;
        }
        if (t.startsWith("top-")) {
            try {
                return meanOfTopK(Integer.parseInt(t.substring(4)));
            } catch (NumberFormatException e) {
                // falls through to the message below
            }
        }
        throw new IllegalArgumentException("unknown frame aggregation '" + text + "': use max, mean or top-K (such as top-3)");
    }

    /**
     * Aggregates frames.
     *
     * @param frames at least one frame
     * @return the aggregate score and probabilities, in the frames' label order
     */
    Aggregate apply(List<VideoFrameScore> frames) {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("no frames to aggregate");
        }
        List<VideoFrameScore> chosen;
        if (all) {
            chosen = frames;
        } else {
            List<VideoFrameScore> sorted = new ArrayList<>(frames);
            // Stable: among equal scores the earliest frame wins, so max() reports the first peak.
            sorted.sort(Comparator.comparingDouble(VideoFrameScore::score).reversed());
            chosen = sorted.subList(0, Math.min(k, sorted.size()));
        }
        if (chosen.size() == 1) {
            return new Aggregate(chosen.get(0).score(), chosen.get(0).probabilities());
        }
        double score = 0;
        Map<String, Double> sums = new LinkedHashMap<>();
        for (VideoFrameScore f : chosen) {
            score += f.score();
            f.probabilities().forEach((label, p) -> sums.merge(label, (double) p, Double::sum));
        }
        Map<String, Float> probabilities = new LinkedHashMap<>();
        sums.forEach((label, sum) -> probabilities.put(label, (float) (sum / chosen.size())));
        return new Aggregate(Math.min(1.0, Math.max(0.0, score / chosen.size())), probabilities);
    }

    record Aggregate(double score, Map<String, Float> probabilities) {
    }

    @Override
    public String toString() {
        return all ? "mean" : k == 1 ? "max" : "top-" + k;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameAggregation other && other.k == k && other.all == all;
    }

    @Override
    public int hashCode() {
        return 31 * k + (all ? 1 : 0);
    }
}
