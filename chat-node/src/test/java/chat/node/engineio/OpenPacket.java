package chat.node.engineio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Engine.IO open packet {@code 0{"sid":...}} read field by field, so that a test names the field it checks.
 *
 * @param fields       the names of all fields present
 * @param sid          the session id
 * @param upgrades     the transports the session may upgrade to
 * @param pingInterval milliseconds between server pings
 * @param pingTimeout  milliseconds the client has to answer one
 * @param maxPayload   bytes the server accepts in one payload
 */
record OpenPacket(Set<String> fields, String sid, List<String> upgrades, long pingInterval, long pingTimeout,
                  long maxPayload) {
    static final Set<String> FIELDS = Set.of("sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload");

    private static final ObjectMapper JSON = new ObjectMapper();

    static OpenPacket parse(String packet) {
        if (!packet.startsWith("0{")) {
            throw new AssertionError("not an Engine.IO open packet: " + packet);
        }
        try {
            JsonNode open = JSON.readTree(packet.substring(1));
            Set<String> fields = new TreeSet<>();
            open.fieldNames().forEachRemaining(fields::add);
            List<String> upgrades = new ArrayList<>();
            open.path("upgrades").forEach(upgrade -> upgrades.add(upgrade.asText()));
            return new OpenPacket(fields, open.path("sid").asText(""), upgrades, open.path("pingInterval").asLong(-1),
                    open.path("pingTimeout").asLong(-1), open.path("maxPayload").asLong(-1));
        } catch (JsonProcessingException e) {
            throw new AssertionError("the open packet is not JSON: " + packet, e);
        }
    }
}
