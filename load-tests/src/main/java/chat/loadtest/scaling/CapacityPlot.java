package chat.loadtest.scaling;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

/** Capacity against the number of nodes, with the ideal line N × C(1), drawn with Java2D into a PNG. */
final class CapacityPlot {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 480;
    private static final int LEFT = 80;
    private static final int RIGHT = 60;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color MEASURED = new Color(0x1f77b4);
    private static final Color IDEAL = new Color(0x999999);
    private static final Color BASELINE = new Color(0xd62728);

    /**
     * A point of the plot.
     *
     * @param nodes    N
     * @param capacity messages per second
     */
    record Point(int nodes, double capacity) {
    }

    private CapacityPlot() {
    }

    static void write(Path file, List<Point> measured, Point baseline, String subtitle) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        int maxNodes = measured.stream().mapToInt(Point::nodes).max().orElse(1);
        double c1 = measured.stream().filter(p -> p.nodes() == 1).mapToDouble(Point::capacity).findFirst()
                .orElse(measured.isEmpty() ? 1 : measured.getFirst().capacity() / measured.getFirst().nodes());
        double top = Math.max(c1 * maxNodes, measured.stream().mapToDouble(Point::capacity).max().orElse(1));
        top = niceCeiling(top * 1.1);
        Axes axes = new Axes(maxNodes, top);

        drawAxes(g, axes, maxNodes, top);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 6f}, 0f));
        g.setColor(IDEAL);
        g.drawLine(axes.x(0), axes.y(0), axes.x(maxNodes), axes.y(c1 * maxNodes));
        g.setStroke(new BasicStroke(3f));
        g.setColor(MEASURED);
        for (int i = 1; i < measured.size(); i++) {
            g.drawLine(axes.x(measured.get(i - 1).nodes()), axes.y(measured.get(i - 1).capacity()),
                    axes.x(measured.get(i).nodes()), axes.y(measured.get(i).capacity()));
        }
        for (Point p : measured) {
            dot(g, axes.x(p.nodes()), axes.y(p.capacity()));
            g.drawString(String.format("%.0f", p.capacity()), axes.x(p.nodes()) + 8, axes.y(p.capacity()) - 8);
        }
        if (baseline != null) {
            g.setColor(BASELINE);
            dot(g, axes.x(baseline.nodes()), axes.y(baseline.capacity()));
            g.drawString(String.format("Socket.IO %.0f", baseline.capacity()), axes.x(baseline.nodes()) + 8,
                    axes.y(baseline.capacity()) + 16);
        }
        drawTitleAndLegend(g, subtitle, baseline != null);
        g.dispose();
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    private record Axes(int maxNodes, double top) {
        int x(double nodes) {
            return LEFT + (int) Math.round(nodes / maxNodes * (WIDTH - LEFT - RIGHT));
        }

        int y(double capacity) {
            return HEIGHT - BOTTOM - (int) Math.round(capacity / top * (HEIGHT - TOP - BOTTOM));
        }
    }

    private static void drawAxes(Graphics2D g, Axes axes, int maxNodes, double top) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
        for (int n = 0; n <= maxNodes; n++) {
            g.drawLine(axes.x(n), HEIGHT - BOTTOM, axes.x(n), HEIGHT - BOTTOM + 5);
            g.drawString(Integer.toString(n), axes.x(n) - 4, HEIGHT - BOTTOM + 20);
        }
        for (int i = 0; i <= 5; i++) {
            double value = top * i / 5;
            g.setColor(new Color(0xeeeeee));
            g.drawLine(LEFT + 1, axes.y(value), WIDTH - RIGHT, axes.y(value));
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format("%.0f", value), LEFT - 50, axes.y(value) + 4);
        }
        g.drawString("nodes (N)", WIDTH / 2 - 30, HEIGHT - 15);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("capacity (messages/s, p99 <= 100 ms)", -(HEIGHT / 2) - 110, 20);
        rotated.dispose();
    }

    private static void drawTitleAndLegend(Graphics2D g, String subtitle, boolean withBaseline) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("Chat cluster capacity against nodes", LEFT, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(subtitle, LEFT, 40);
        int x = LEFT + 20;
        int y = TOP + 15;
        g.setColor(MEASURED);
        g.fillRect(x, y - 8, 14, 4);
        g.setColor(Color.BLACK);
        g.drawString("measured C(N)", x + 20, y - 2);
        g.setColor(IDEAL);
        g.fillRect(x, y + 10, 14, 4);
        g.setColor(Color.BLACK);
        g.drawString("ideal N x C(1)", x + 20, y + 16);
        if (withBaseline) {
            g.setColor(BASELINE);
            g.fillOval(x + 3, y + 26, 8, 8);
            g.setColor(Color.BLACK);
            g.drawString("Socket.IO + Redis adapter, same caps", x + 20, y + 34);
        }
    }

    private static void dot(Graphics2D g, int x, int y) {
        g.fillOval(x - 5, y - 5, 10, 10);
    }

    /** The smallest 1, 2, 2.5 or 5 times a power of ten at or above {@code value}: the top of a value axis. */
    static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
