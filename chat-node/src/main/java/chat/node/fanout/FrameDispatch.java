package chat.node.fanout;

import chat.common.MalformedRecordException;

/** Hands what a subscriber connection read to the listener: one malformed or failing frame never stops the rest. */
final class FrameDispatch {
    private static final System.Logger LOG = System.getLogger(FrameDispatch.class.getName());

    private FrameDispatch() {
    }

    static void deliver(BusListener listener, String channel, String message) {
        BusFrame frame;
        try {
            frame = BusFrame.decode(message);
        } catch (MalformedRecordException e) {
            LOG.log(System.Logger.Level.WARNING, "dropping malformed frame on " + channel + ": " + e.getMessage());
            return;
        }
        try {
            listener.onFrame(channel, frame);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "delivery of a frame on " + channel + " failed", e);
        }
    }
}
