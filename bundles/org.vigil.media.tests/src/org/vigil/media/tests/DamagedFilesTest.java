package org.vigil.media.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.vigil.api.codec.Container;
import org.vigil.media.DamagedMediaException;
import org.vigil.media.MediaIndex;
import org.vigil.media.MediaParser;

/**
 * Files cut by a crash or a full disk, damaged by a bad sector, or not recordings at all: the complete frames, or one
 * sentence saying what is wrong and where, never a Java exception.
 */
class DamagedFilesTest {

    /** What a user may read: one sentence, no exception's name or text. */
    private static String sentence(DamagedMediaException e) {
        String m = e.getMessage();
        assertTrue(m != null && !m.isBlank(), "a sentence");
        assertFalse(m.contains("Exception") || m.contains("java.") || m.contains("\n") || m.contains("null"),
                "no Java exception text: " + m);
        assertTrue(Character.isLowerCase(m.charAt(0)) && m.length() < 300, "one sentence: " + m);
        return m;
    }

    private static DamagedMediaException refused(Path file) {
        return assertThrows(DamagedMediaException.class, () -> Media.parse(file));
    }

    @Test
    void aFileCutAnywhereGivesItsCompleteFramesOrSaysWhereItEnds() throws Exception {
        Path dir = Media.work("cut");
        for (String name : new String[] {Media.FRAGMENTED, Media.PLAIN, Media.MJPEG}) {
            Path whole = Media.get(name);
            int frames = Media.parse(whole).samples().count();
            Path copy = Files.copy(whole, dir.resolve(name));
            long size = Files.size(copy);
            int playable = 0;
            int previous = frames;
            // from the end towards the start: every cut keeps at most the frames of a longer one
            for (long len = size - 1; len >= 0; len = len > 4096 ? len - size / 97 : len / 2 - 1) {
                try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                    ch.truncate(len);
                }
                try {
                    MediaIndex ix = Media.parse(copy);
                    playable++;
                    assertTrue(ix.truncated() && !ix.finalized(), name + " cut at " + len);
                    String note = ix.cutNote().orElseThrow();
                    assertTrue(note.startsWith("the file is cut off at byte " + len), note);
                    int n = ix.samples().count();
                    // a cut in the index after the last frame (mfra, Cues) keeps every frame
                    assertTrue(n > 0 && n <= previous, name + " cut at " + len + ": " + n + " frames");
                    int last = n - 1;
                    assertTrue(ix.samples().offset(last) + ix.samples().size(last) <= len,
                            "every frame listed is in the file");
                    previous = n;
                } catch (DamagedMediaException e) {
                    String m = sentence(e);
                    if (name.equals(Media.PLAIN) && len >= 8) {
                        // the index of a plain file is at its end: any cut loses it
                        assertEquals("the file is cut off at byte " + len
                                + " before its index (moov box): the recording was never finalised", m);
                    }
                    previous = 0;
                }
            }
            if (!name.equals(Media.PLAIN)) {
                assertTrue(playable > 60, name + ": the cuts after the first frame keep the frames before them ("
                        + playable + ")");
            }
        }
        Media.deleteTree(dir);
    }

    @Test
    void aFragmentHeaderAboveTheLimitIsRefusedWithASentence() throws Exception {
        Path dir = Media.work("limit");
        byte[] file = Files.readAllBytes(Media.get(Media.FRAGMENTED));
        MediaIndex original = Media.parse(Media.get(Media.FRAGMENTED));
        int moof = Boxes.topLevel(file, "moof", 0);
        int moofSize = Boxes.size(file, moof);

        // below the limit the inflated file is the same recording: the helper keeps it valid
        int below = (int) MediaParser.MAX_FRAGMENT_HEADER - moofSize;
        Path big = Media.write(dir, "below.mp4", Boxes.inflateFirstFragment(file, below));
        MediaIndex ix = Media.parse(big);
        assertEquals(100, ix.samples().count());
        assertEquals(original.duration(), ix.duration());
        try (FileChannel a = FileChannel.open(Media.get(Media.FRAGMENTED)); FileChannel b = FileChannel.open(big)) {
            for (int i : new int[] {0, 24, 25, 99}) {
                ByteBuffer x = ByteBuffer.allocate(original.samples().size(i));
                ByteBuffer y = ByteBuffer.allocate(ix.samples().size(i));
                a.read(x, original.samples().offset(i));
                b.read(y, ix.samples().offset(i));
                assertArrayEquals(x.array(), y.array(), "frame " + i);
            }
        }
        Files.delete(big);

        Path over = Media.write(dir, "over.mp4", Boxes.inflateFirstFragment(file, below + 1));
        assertEquals("its fragment header (moof box) at byte " + moof + " is 16.0 MiB, more than the 16 MiB such a"
                + " header may have: the file is damaged or not a recording", sentence(refused(over)));
        Media.deleteTree(dir);
    }

    @Test
    void damagedBoxesAreNamedWithTheirPlace() throws Exception {
        Path dir = Media.work("damaged");
        byte[] file = Files.readAllBytes(Media.get(Media.FRAGMENTED));
        int moof = Boxes.topLevel(file, "moof", 1);
        int trun = Boxes.child(file, Boxes.child(file, moof, "traf"), "trun");

        byte[] counted = file.clone();
        Boxes.putInt(counted, trun + 12, 0x00FFFFFF); // sample_count far beyond what the box holds
        assertEquals("the sample table (trun box) of the fragment at byte " + moof
                + " is damaged: it lists more samples than it holds",
                sentence(refused(Media.write(dir, "trun.mp4", counted))));

        int moov = Boxes.topLevel(file, "moov", 0);
        byte[] sized = file.clone();
        Boxes.putInt(sized, moov, 4);
        assertEquals("the box at byte " + moov + " gives a size of 4 bytes, less than its own header: the file is"
                + " damaged from there on", sentence(refused(Media.write(dir, "size.mp4", sized))));

        int mvex = Boxes.child(file, moov, "mvex");
        byte[] early = file.clone();
        System.arraycopy("moof".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, early, moov + 4, 4);
        DamagedMediaException before = refused(Media.write(dir, "early.mp4", early));
        assertEquals("a fragment (moof box at byte " + moov + ") comes before the movie header (moov box)",
                sentence(before));
        assertTrue(mvex > 0);
        Media.deleteTree(dir);
    }

    @Test
    void bytesDamagedAnywhereGiveFramesOrASentence() throws Exception {
        Path dir = Media.work("noise");
        Random random = new Random(19);
        for (String name : new String[] {Media.FRAGMENTED, Media.PLAIN, Media.H265, Media.MJPEG}) {
            byte[] whole = Files.readAllBytes(Media.get(name));
            Path copy = dir.resolve(name);
            int refusals = 0;
            for (int i = 0; i < 300; i++) {
                byte[] bad = whole.clone();
                // headers are where damage changes what is read: the first 8 KiB and around a random place
                int at = i % 2 == 0 ? random.nextInt(Math.min(8192, bad.length - 4)) : random.nextInt(bad.length - 4);
                for (int k = 0; k < 4; k++) {
                    bad[at + k] = (byte) random.nextInt(256);
                }
                Files.write(copy, bad);
                try {
                    MediaIndex ix = Media.parse(copy);
                    int last = ix.samples().count() - 1;
                    assertTrue(ix.samples().offset(last) + ix.samples().size(last) <= bad.length,
                            "every frame listed is in the file");
                } catch (DamagedMediaException e) {
                    sentence(e);
                    refusals++;
                }
            }
            assertTrue(refusals > 0, name + ": some damage is refused");
        }
        Media.deleteTree(dir);
    }

    @Test
    void filesThatAreNotRecordingsAreRefusedWithASentence() throws Exception {
        Path dir = Media.work("not");
        assertEquals("the file is empty", sentence(refused(Media.write(dir, "empty.mp4", new byte[0]))));
        assertEquals("the file is only 5 bytes long: too short to be a recording",
                sentence(refused(Media.write(dir, "five.mp4", new byte[5]))));
        DamagedMediaException text = refused(Media.write(dir, "notes.mp4",
                "these are not the frames you are looking for".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("it is not an MP4 file (it does not start with an ftyp box)", sentence(text));
        assertEquals(Container.MP4, text.container());

        byte[] mkv = Files.readAllBytes(Media.get(Media.MJPEG));
        byte[] headerOnly = java.util.Arrays.copyOf(mkv, 64);
        DamagedMediaException cut = refused(Media.write(dir, "header.mkv", headerOnly));
        assertEquals(Container.MATROSKA, cut.container());
        sentence(cut);
        Media.deleteTree(dir);
    }

    @Test
    void aFileThatCannotBeReadIsAnIoErrorNotADamagedFile() throws IOException {
        Path dir = Media.work("closed");
        Path file = Media.write(dir, "x.mp4", new byte[64]);
        FileChannel ch = FileChannel.open(file);
        ch.close();
        IOException e = assertThrows(IOException.class, () -> MediaParser.parse(ch));
        assertFalse(e instanceof DamagedMediaException, "a closed channel is not a damaged file");
        Media.deleteTree(dir);
    }
}
