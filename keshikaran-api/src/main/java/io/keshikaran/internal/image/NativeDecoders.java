package io.keshikaran.internal.image;

import io.keshikaran.image.DecodeOptions;
import io.keshikaran.spi.NativeImageDecoder;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds the {@link NativeImageDecoder} (once per class loader, lazily: loading natives costs time)
 * and applies {@link DecodeOptions.Decoder}: the one place that decides between native and Java.
 */
final class NativeDecoders {
    private static final System.Logger LOG = System.getLogger(ImageDecoder.class.getName());

    private NativeDecoders() {
    }

    /** The loaded native decoder, or {@code null} with the reasons none could be used. */
    private record Found(NativeImageDecoder decoder, String why) {
    }

    private static final class Holder {
        static final Found FOUND = find();
    }

    /**
     * The native decoder to use, or {@code null} for ImageIO.
     *
     * @throws IllegalStateException {@code NATIVE} asked for (by option or system property) and no
     *                               native decoder loads; or the system property has a bad value
     */
    static NativeImageDecoder select(DecodeOptions.Decoder choice) {
        choice = resolve(choice);
        if (choice == DecodeOptions.Decoder.JAVA) {
            return null;
        }
        Found found = Holder.FOUND;
        if (found.decoder == null && choice == DecodeOptions.Decoder.NATIVE) {
            throw new IllegalStateException("the native image decoder was asked for but " + found.why);
        }
        return found.decoder;
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
        ClassLoader cl = ImageDecoder.class.getClassLoader();
        try {
            for (NativeImageDecoder d : ServiceLoader.load(NativeImageDecoder.class, cl)) {
                String why = d.unavailableReason();
                if (why == null) {
                    LOG.log(System.Logger.Level.DEBUG, "decoding JPEG, PNG and WebP stills with the native decoder {0}", d.name());
                    return new Found(d, null);
                }
                reasons.add(d.name() + ": " + why);
            }
        } catch (java.util.ServiceConfigurationError | LinkageError e) {
            reasons.add(e.toString());
        }
        String why = reasons.isEmpty() ? "none is on the classpath (add keshikaran-leptonica)" : String.join("; ", reasons);
        LOG.log(System.Logger.Level.DEBUG, "decoding with ImageIO only: no native decoder, {0}", why);
        return new Found(null, why);
    }
}
