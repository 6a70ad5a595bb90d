package chat.loadtest.scaling;

import chat.loadtest.scaling.UslModel.Ceiling;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.DoubleStream;

import javax.imageio.ImageIO;

/**
 * Capacity against nodes on a log₂ axis, drawn with Java2D into a PNG: the ideal line N·C(1), the USL curve of each
 * server model, the measured capacities, and the ceilings of the parts every node shares.
 *
 * @param title    the first line
 * @param subtitle the second line: what was measured, and how
 * @param c1       the capacity of one node the ideal line starts from, messages per second
 * @param curves   the models, each in a colour of its own
 * @param measured capacities measured by a capacity search
 * @param ceilings the shared parts' limits, as horizontal lines
 * @param maxNodes the right end of the node axis, 2 or more (ticks at each power of two up to it)
 */
public record ScalingPlot(String title, String subtitle, double c1, List<Curve> curves, List<MeasuredPoint> measured,
                          List<Ceiling> ceilings, int maxNodes) {

    static final int WIDTH = 800;
    static final int HEIGHT = 520;
    static final int LEFT = 80;
    static final int RIGHT = 40;
    static final int TOP = 50;
    static final int BOTTOM = 60;
    private static final Color IDEAL = new Color(0x999999);
    private static final Color CEILING = new Color(0x8c564b);
    private static final Color UNMATCHED = Color.BLACK;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x17becf)};
    private static final int SAMPLES = 240;

    public ScalingPlot {
        if (maxNodes < 2) {
            throw new IllegalArgumentException("The node axis needs at least 2 nodes, got " + maxNodes);
        }
        curves = List.copyOf(curves);
        measured = List.copyOf(measured);
        ceilings = List.copyOf(ceilings);
    }

    /** A server's USL model, named in the legend (e.g. "chat node, sharded rooms"). */
    public record Curve(String name, UslModel model) {
    }

    /**
     * A measured capacity, drawn as a dot with its label and value.
     *
     * @param curve the {@link Curve} whose colour the dot takes; null, or a name no curve has, for black
     */
    public record MeasuredPoint(String label, int nodes, double messagesPerSecond, String curve) {
    }

    /** Draws the plot into {@code png}, creating its folder. */
    public void write(Path png) {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        Axes axes = new Axes(maxNodes, niceCeiling(highest() * 1.1));
        drawAxes(g, axes);
        Graphics2D plotArea = (Graphics2D) g.create();
        plotArea.clipRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM + 1);
        drawIdeal(plotArea, axes);
        drawCeilings(plotArea, axes);
        drawCurves(plotArea, axes);
        plotArea.dispose();
        drawMeasured(g, axes);
        drawTitleAndLegend(g);
        g.dispose();
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            ImageIO.write(image, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + png, e);
        }
    }

    /** The top of what the plot must show: every curve up to maxNodes, every point and ceiling, and C(1). */
    private double highest() {
        DoubleStream models = curves.stream()
                .flatMapToDouble(c -> DoubleStream.iterate(1, n -> n <= maxNodes, n -> n + 1)
                        .map(n -> c.model().capacityBetween(n)));
        DoubleStream points = measured.stream().mapToDouble(MeasuredPoint::messagesPerSecond);
        DoubleStream limits = ceilings.stream().mapToDouble(Ceiling::messagesPerSecond);
        return DoubleStream.concat(DoubleStream.of(c1 * 2), DoubleStream.concat(models,
                DoubleStream.concat(points, limits))).max().orElse(1);
    }

    private record Axes(int maxNodes, double top) {
        int x(double nodes) {
            return LEFT + (int) Math.round(log2(nodes) / log2(maxNodes) * (WIDTH - LEFT - RIGHT));
        }

        int y(double capacity) {
            return HEIGHT - BOTTOM - (int) Math.round(capacity / top * (HEIGHT - TOP - BOTTOM));
        }

        private static double log2(double n) {
            return Math.log(n) / Math.log(2);
        }
    }

    private static void drawAxes(Graphics2D g, Axes axes) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) {
            double value = axes.top() * i / 5;
            g.setColor(new Color(0xeeeeee));
            g.drawLine(LEFT + 1, axes.y(value), WIDTH - RIGHT, axes.y(value));
            g.setColor(Color.DARK_GRAY);
            String label = String.format("%.0f", value);
            g.drawString(label, LEFT - 6 - g.getFontMetrics().stringWidth(label), axes.y(value) + 4);
        }
        g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
        for (int n = 1; n <= axes.maxNodes(); n *= 2) {
            g.drawLine(axes.x(n), HEIGHT - BOTTOM, axes.x(n), HEIGHT - BOTTOM + 5);
            g.drawString(Integer.toString(n), axes.x(n) - 4, HEIGHT - BOTTOM + 20);
        }
        g.drawString("nodes (N, log scale)", WIDTH / 2 - 50, HEIGHT - 15);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("capacity (messages/s)", -(HEIGHT / 2) - 60, 16);
        rotated.dispose();
    }

    private void drawIdeal(Graphics2D g, Axes axes) {
        g.setStroke(dashed(2f, 8f));
        g.setColor(IDEAL);
        g.draw(path(axes, n -> c1 * n));
    }

    private void drawCeilings(Graphics2D g, Axes axes) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (Ceiling ceiling : ceilings) {
            int y = axes.y(ceiling.messagesPerSecond());
            g.setStroke(dashed(1.5f, 4f));
            g.setColor(CEILING);
            g.drawLine(LEFT, y, WIDTH - RIGHT, y);
            String text = String.format("%s %.0f/s", ceiling.name(), ceiling.messagesPerSecond());
            g.drawString(text, WIDTH - RIGHT - g.getFontMetrics().stringWidth(text) - 4, y - 4);
        }
    }

    private void drawCurves(Graphics2D g, Axes axes) {
        g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int i = 0; i < curves.size(); i++) {
            UslModel model = curves.get(i).model();
            g.setColor(colour(i));
            g.draw(path(axes, model::capacityBetween));
        }
    }

    private void drawMeasured(Graphics2D g, Axes axes) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (MeasuredPoint p : measured) {
            int x = axes.x(p.nodes());
            int y = axes.y(p.messagesPerSecond());
            g.setColor(colourOf(p.curve()));
            g.fillOval(x - 5, y - 5, 10, 10);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%s %.0f", p.label(), p.messagesPerSecond()), x + 8, y + 14);
        }
    }

    private void drawTitleAndLegend(Graphics2D g) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString(subtitle, LEFT, 40);
        int x = LEFT + 20;
        int y = TOP + 15;
        g.setColor(IDEAL);
        g.fillRect(x, y - 6, 14, 4);
        g.setColor(Color.BLACK);
        g.drawString("ideal N x C(1)", x + 20, y);
        for (int i = 0; i < curves.size(); i++) {
            y += 18;
            g.setColor(colour(i));
            g.fillRect(x, y - 6, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(legendLine(curves.get(i)), x + 20, y);
        }
        if (!measured.isEmpty()) {
            y += 18;
            g.fillOval(x + 3, y - 8, 8, 8);
            g.drawString("measured capacity", x + 20, y);
        }
    }

    private static String legendLine(Curve curve) {
        UslModel m = curve.model();
        return String.format("%s (USL: C(1) %.0f, σ %.4f, κ %.5f)", curve.name(), m.c1(), m.sigma(), m.kappa());
    }

    /** The function drawn on the log axis from 1 to maxNodes, sampled evenly in log N. */
    private Path2D path(Axes axes, DoubleUnaryOperator capacity) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i <= SAMPLES; i++) {
            double n = Math.pow(maxNodes, (double) i / SAMPLES);
            if (i == 0) {
                path.moveTo(axes.x(n), axes.y(capacity.applyAsDouble(n)));
            } else {
                path.lineTo(axes.x(n), axes.y(capacity.applyAsDouble(n)));
            }
        }
        return path;
    }

    private Color colourOf(String curve) {
        for (int i = 0; i < curves.size(); i++) {
            if (curves.get(i).name().equals(curve)) {
                return colour(i);
            }
        }
        return UNMATCHED;
    }

    private static Color colour(int index) {
        return PALETTE[index % PALETTE.length];
    }

    private static Stroke dashed(float width, float dash) {
        return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                new float[] {dash, dash * 0.75f}, 0f);
    }

    /** The smallest 1, 2, 2.5 or 5 times a power of ten at or above {@code value}: a round top for an axis. */
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
