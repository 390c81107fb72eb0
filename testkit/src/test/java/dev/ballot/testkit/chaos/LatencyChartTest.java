package dev.ballot.testkit.chaos;

import dev.ballot.testkit.lin.EventType;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyChartTest {

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void drawsOnePointPerOperationColouredByOutcomeOverLabelledFaultWindows() throws Exception {
        List<OpSample> samples = List.of(
                new OpSample("read", 1_000_000_000L, 2_000_000L, EventType.OK),
                new OpSample("write", 2_000_000_000L, 1_000_000_000L, EventType.INFO),
                new OpSample("cas", 3_000_000_000L, 50_000L, EventType.FAIL),
                new OpSample("read", 4_000_000_000L, 700_000L, EventType.OK));
        List<FaultWindow> windows = List.of(
                new FaultWindow(FaultFamily.PARTITION, "minority {n1,n2} | majority <n3> & \"n4\"", 1_500_000_000L, 3_000_000_000L),
                new FaultWindow(FaultFamily.KILL, "kill n3 (leader)", 3_500_000_000L, 4_500_000_000L));

        Document doc = parse(LatencyChart.render("seed 1 <register>", samples, windows, 5_000_000_000L));

        Element root = doc.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        NodeList circles = doc.getElementsByTagNameNS("*", "circle");
        List<String> pointColours = new ArrayList<>();
        for (int i = 0; i < circles.getLength(); i++) {
            Element c = (Element) circles.item(i);
            if (c.getAttribute("r").equals("1.5")) pointColours.add(((Element) c.getParentNode()).getAttribute("fill"));
        }
        assertThat(pointColours).containsExactlyInAnyOrder(LatencyChart.colour(EventType.OK), LatencyChart.colour(EventType.OK),
                LatencyChart.colour(EventType.FAIL), LatencyChart.colour(EventType.INFO));
        List<String> texts = new ArrayList<>();
        NodeList textNodes = doc.getElementsByTagNameNS("*", "text");
        for (int i = 0; i < textNodes.getLength(); i++) texts.add(textNodes.item(i).getTextContent());
        assertThat(texts).contains("minority {n1,n2} | majority <n3> & \"n4\"", "kill n3 (leader)", "seed 1 <register>", "indeterminate");
        // The windows are shaded: one rectangle each (besides the background).
        assertThat(doc.getElementsByTagNameNS("*", "rect").getLength()).isEqualTo(3);
    }

    @Test
    void laterPointsAreFurtherRightAndSlowerOnesHigher() throws Exception {
        List<OpSample> samples = List.of(
                new OpSample("read", 1_000_000_000L, 1_000_000L, EventType.OK),
                new OpSample("read", 3_000_000_000L, 100_000_000L, EventType.OK));
        NodeList circles = parse(LatencyChart.render("t", samples, List.of(), 4_000_000_000L)).getElementsByTagNameNS("*", "circle");
        List<Element> points = new ArrayList<>();
        for (int i = 0; i < circles.getLength(); i++) {
            Element c = (Element) circles.item(i);
            if (c.getAttribute("r").equals("1.5")) points.add(c);
        }
        assertThat(points).hasSize(2);
        double x0 = Double.parseDouble(points.get(0).getAttribute("cx"));
        double x1 = Double.parseDouble(points.get(1).getAttribute("cx"));
        double y0 = Double.parseDouble(points.get(0).getAttribute("cy"));
        double y1 = Double.parseDouble(points.get(1).getAttribute("cy"));
        assertThat(x1).isGreaterThan(x0);
        assertThat(y1).isLessThan(y0); // SVG's y grows downwards
    }

    @Test
    void anEmptyRunStillGivesAWellFormedChart() throws Exception {
        assertThat(parse(LatencyChart.render("empty", List.of(), List.of(), 0)).getDocumentElement().getLocalName()).isEqualTo("svg");
    }
}
