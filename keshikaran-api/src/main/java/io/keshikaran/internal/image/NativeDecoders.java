package io.keshikaran.internal.image;

import io.keshikaran.image.DecodeOptions;
import io.keshikaran.spi.NativeImageDecoder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the {@link NativeImageDecoder}s (once per class loader, lazily: loading natives costs time)
 * and applies {@link DecodeOptions.Decoder}: the one place that decides between native and Java.
 * Several may be on the classpath (keshikaran-leptonica for JPEG, PNG and WebP, keshikaran-video for
 * HEIF and AVIF): every one that loads is kept, in {@link ServiceLoader} order, and an input goes to
 * the first whose {@code probe} accepts it.
 */
final class NativeDecoders {
    private static final System.Logger LOG = System.getLogger(ImageDecoder.class.getName());

    private NativeDecoders() {
    }

    /**
     * The loaded native decoders, or {@code null}; and why the others could not be used (empty when
     * every one found loaded).
     */
    private record Found(Chain decoders, String why) {
    }

    /** The native decoders that loaded, asked in {@link ServiceLoader} order. */
    static final class Chain {
        private final List<NativeImageDecoder> decoders;

        private Chain(List<NativeImageDecoder> decoders) {
            this.decoders = List.copyOf(decoders);
        }

        /**
         * The first decoder's header for this input, with that decoder, or {@code null} when none
         * handles it.
         *
         * @throws IOException a decoder recognised its format but cannot decode it (its reason)
         */
        Probed probe(byte[] encoded) throws IOException {
            for (NativeImageDecoder d : decoders) {
                NativeImageDecoder.Header header = d.probe(encoded);
                if (header != null) {
                    return new Probed(d, header);
                }
            }
            return null;
        }
    }

    /** An input's header and the decoder that read it, which decodes it. */
    record Probed(NativeImageDecoder decoder, NativeImageDecoder.Header header) {
    }

    private static final class Holder {
        static final Found FOUND = find();
    }

    /** Whether {@link #preload} started its thread (once per class loader is enough). */
    private static final java.util.concurrent.atomic.AtomicBoolean PRELOADING = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Finds and loads the native decoders on a daemon thread of its own, unless {@code choice}
     * is {@code JAVA}: their libraries take 100-250 ms to load, which then overlap with whatever
     * the caller does next (a classifier's model load) instead of delaying the first decode. A
     * decode that comes first waits for the same one-time load (class initialisation).
     */
    static void preload(DecodeOptions.Decoder choice) {
        DecodeOptions.Decoder resolved;
        try {
            resolved = resolve(choice);
        } catch (IllegalStateException e) {
            return; // a bad system property: the first decode reports it
        }
        if (resolved == DecodeOptions.Decoder.JAVA || !PRELOADING.compareAndSet(false, true)) {
            return;
        }
        Thread loader = new Thread(() -> {
            try {
                Found ignored = Holder.FOUND;
            } catch (Throwable e) {
                // The first decode meets the same failure and reports it.
            }
        }, "keshikaran-native-decoders");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * The native decoders to ask, or {@code null} for ImageIO only.
     *
     * @throws IllegalStateException {@code NATIVE} asked for (by option or system property) and no
     *                               native decoder loads; or the system property has a bad value
     */
    static Chain select(DecodeOptions.Decoder choice) {
        choice = resolve(choice);
        if (choice == DecodeOptions.Decoder.JAVA) {
            return null;
        }
        Found found = Holder.FOUND;
        if (found.decoders == null && choice == DecodeOptions.Decoder.NATIVE) {
            throw new IllegalStateException("the native image decoder was asked for but " + found.why);
        }
        return found.decoders;
    }

    /**
     * The formats the loaded native decoders read beyond ImageIO's ({@code heif}, {@code avif}),
     * whatever the decoder choice, for an error message: a decoder whose answer fails adds nothing.
     */
    static Set<String> formatsBeyondImageIo() {
        Chain chain = Holder.FOUND.decoders;
        Set<String> names = new TreeSet<>();
        if (chain != null) {
            for (NativeImageDecoder d : chain.decoders) {
                try {
                    Set<String> formats = d.formatsBeyondImageIo();
                    if (formats != null) {
                        formats.forEach(f -> names.add(f.toLowerCase(Locale.ROOT)));
                    }
                } catch (RuntimeException e) {
                    // A broken third-party decoder must not hide the input's own error.
                }
            }
        }
        return names;
    }

    /**
     * Why native decoders on the classpath could not be used (such as FFmpeg's natives missing for
     * this platform), or an empty string.
     */
    static String notLoaded() {
        Found found = Holder.FOUND;
        return found.decoders == null && found.why.startsWith("none is on the classpath") ? "" : found.why;
    }

    /**
     * The choice in force: {@code AUTO} is replaced by the system property's value when it is set.
     *
     * @throws IllegalStateException the system property has a bad value
     */
    static DecodeOptions.Decoder resolve(DecodeOptions.Decoder choice) {
        return choice == DecodeOptions.Decoder.AUTO ? fromProperty() : choice;
    }

    private static DecodeOptions.Decoder fromProperty() {
        String value = System.getProperty(DecodeOptions.Decoder.PROPERTY);
        if (value == null || value.isBlank()) {
            return DecodeOptions.Decoder.AUTO;
        }
        try {
            return DecodeOptions.Decoder.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("system property " + DecodeOptions.Decoder.PROPERTY + "=" + value
                    + " is not one of auto, java, native", e);
        }
    }

    private static Found find() {
        List<String> reasons = new ArrayList<>();
        List<NativeImageDecoder> loaded = new ArrayList<>();
        ClassLoader cl = ImageDecoder.class.getClassLoader();
        try {
            for (NativeImageDecoder d : ServiceLoader.load(NativeImageDecoder.class, cl)) {
                String why = d.unavailableReason();
                if (why == null) {
                    loaded.add(d);
                } else {
                    reasons.add(d.name() + ": " + why);
                }
            }
        } catch (java.util.ServiceConfigurationError | LinkageError e) {
            reasons.add(e.toString());
        }
        if (!loaded.isEmpty()) {
            List<String> names = loaded.stream().map(NativeImageDecoder::name).toList();
            LOG.log(System.Logger.Level.DEBUG, "decoding stills with the native decoders {0}{1}", names,
                    reasons.isEmpty() ? "" : " (not loaded: " + String.join("; ", reasons) + ")");
            return new Found(new Chain(loaded), String.join("; ", reasons));
        }
        String why = reasons.isEmpty() ? "none is on the classpath (add keshikaran-leptonica)" : String.join("; ", reasons);
        LOG.log(System.Logger.Level.DEBUG, "decoding with ImageIO only: no native decoder, {0}", why);
        return new Found(null, why);
    }
}
