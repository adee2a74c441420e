package org.vigil.camera.tests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads what a player's seek trusts in a fragmented MP4: the movie's timescale, the fragment duration ({@code mehd})
 * and the first time of each track's random-access index ({@code tfra}), in seconds.
 */
record Mp4Index(double fragmentDuration, List<Double> firstIndexTimes) {
    private static final Set<String> CONTAINERS = Set.of("moov", "trak", "mdia", "mvex", "mfra");

    static Mp4Index read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        long[] movieScale = { 1000 };
        List<Long> trackScales = new ArrayList<>();
        double[] mehd = { -1 };
        List<Double> firsts = new ArrayList<>();
        walk(b, 0, b.limit(), movieScale, trackScales, mehd, firsts);
        return new Mp4Index(mehd[0], firsts);
    }

    private static void walk(ByteBuffer b, int off, int end, long[] movieScale, List<Long> trackScales,
            double[] mehd, List<Double> firsts) {
        while (off + 8 <= end) {
            long size = Integer.toUnsignedLong(b.getInt(off));
            String type = new String(new byte[] { b.get(off + 4), b.get(off + 5), b.get(off + 6), b.get(off + 7) },
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                size = b.getLong(off + 8);
                header = 16;
            } else if (size == 0) {
                size = end - off;
            }
            int p = off + header;
            int version = b.get(p) & 0xff;
            switch (type) {
                case "mvhd" -> movieScale[0] = Integer.toUnsignedLong(b.getInt(p + (version == 1 ? 20 : 12)));
                case "mdhd" -> trackScales.add(Integer.toUnsignedLong(b.getInt(p + (version == 1 ? 20 : 12))));
                case "mehd" -> mehd[0] = (version == 1 ? b.getLong(p + 4) : Integer.toUnsignedLong(b.getInt(p + 4)))
                        / (double) movieScale[0];
                case "tfra" -> {
                    int track = b.getInt(p + 4);
                    long n = Integer.toUnsignedLong(b.getInt(p + 12));
                    if (n > 0 && track >= 1 && track <= trackScales.size()) {
                        long t = version == 1 ? b.getLong(p + 16) : Integer.toUnsignedLong(b.getInt(p + 16));
                        firsts.add(t / (double) trackScales.get(track - 1));
                    }
                }
                default -> {
                    if (CONTAINERS.contains(type)) {
                        walk(b, p, (int) (off + size), movieScale, trackScales, mehd, firsts);
                    }
                }
            }
            off += (int) size;
        }
    }
}
