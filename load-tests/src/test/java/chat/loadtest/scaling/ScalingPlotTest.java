package chat.loadtest.scaling;

import chat.loadtest.scaling.ScalingPlot.Curve;
import chat.loadtest.scaling.ScalingPlot.MeasuredPoint;
import chat.loadtest.scaling.UslModel.Ceiling;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScalingPlotTest {

    @TempDir
    Path dir;

    @Test
    void curvesPointsAndCeilingsAreDrawnIntoAPng() throws IOException {
        Path png = dir.resolve("plots/scaling.png");
        String sharded = "chat node, sharded rooms";
        new ScalingPlot("Chat cluster capacity against nodes", "4 vCPU per node, rooms of 10",
                1000,
                List.of(new Curve(sharded, UslModel.of(1000, 0.03, 0.0005)),
                        new Curve("Socket.IO classic adapter", UslModel.of(800, 0.05, 0.01))),
                List.of(new MeasuredPoint("C(1)", 1, 1000, sharded), new MeasuredPoint("C(2)", 2, 1930, sharded),
                        new MeasuredPoint("C(4)", 4, 3600, sharded), new MeasuredPoint("other", 2, 1400, null)),
                List.of(new Ceiling("one Redis", 20000), new Ceiling("Kafka broker", 30000)),
                64).write(png);

        assertTrue(Files.isRegularFile(png));
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "not a readable image");
        assertEquals(ScalingPlot.WIDTH, image.getWidth());
        assertEquals(ScalingPlot.HEIGHT, image.getHeight());
        assertTrue(nonWhitePixels(image) > 2000, "the plot area is nearly blank: " + nonWhitePixels(image));
    }

    private static int nonWhitePixels(BufferedImage image) {
        int count = 0;
        for (int x = ScalingPlot.LEFT + 1; x < ScalingPlot.WIDTH - ScalingPlot.RIGHT; x++) {
            for (int y = ScalingPlot.TOP; y < ScalingPlot.HEIGHT - ScalingPlot.BOTTOM; y++) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                if (rgb != 0xffffff && rgb != 0xeeeeee) {
                    count++;
                }
            }
        }
        return count;
    }
}
