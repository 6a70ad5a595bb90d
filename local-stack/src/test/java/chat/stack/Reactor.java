package chat.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** The Maven reactor of the checkout as its poms say: the modules, and what each one depends on. */
record Reactor(Path checkout, List<String> modules) {

    static Reactor read(Path checkout) throws Exception {
        return new Reactor(checkout, childTexts(pom(checkout.resolve("pom.xml")), "modules", "module"));
    }

    /**
     * Whether the module has the artifact on its runtime class path, declared by itself or by a module of the
     * reactor it depends on (test scope does not count).
     */
    boolean runsWith(String module, String artifactId) throws Exception {
        Element project = pom(checkout.resolve(module).resolve("pom.xml"));
        for (Element dependency : dependencies(project)) {
            String id = text(dependency, "artifactId");
            if (text(dependency, "scope").equals("test")) {
                continue;
            }
            if (id.equals(artifactId) || modules.contains(id) && runsWith(id, artifactId)) {
                return true;
            }
        }
        return false;
    }

    /** The modules of the reactor that {@code -pl module -am} builds with the module, in any scope. */
    Set<String> modulesBuiltWith(String module) throws Exception {
        Set<String> built = new TreeSet<>(Set.of(module));
        for (Element dependency : dependencies(pom(checkout.resolve(module).resolve("pom.xml")))) {
            String id = text(dependency, "artifactId");
            if (modules.contains(id) && !built.contains(id)) {
                built.addAll(modulesBuiltWith(id));
            }
        }
        return built;
    }

    private static List<Element> dependencies(Element project) {
        List<Element> found = new ArrayList<>();
        for (Element dependencies : children(project, "dependencies")) {
            found.addAll(children(dependencies, "dependency"));
        }
        return found;
    }

    private static Element pom(Path file) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Files.newInputStream(file));
        return document.getDocumentElement();
    }

    private static List<String> childTexts(Element parent, String list, String item) {
        List<String> texts = new ArrayList<>();
        for (Element element : children(parent, list)) {
            children(element, item).forEach(child -> texts.add(child.getTextContent().trim()));
        }
        return texts;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.getFirst().getTextContent().trim();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE && nodes.item(i).getNodeName().equals(name)) {
                found.add((Element) nodes.item(i));
            }
        }
        return found;
    }
}
