package org.mailwarden.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What a release needs, checked on the build files themselves so the test command fails when one is
 * lost: the licence, the poms' metadata, sources and javadoc jars for the published modules, a BOM
 * of exactly those modules, and examples and benchmarks that are never installed or deployed.
 */
class ReleaseHygieneTest {

  /** The project root: the tests run in impl/. */
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The directories of the modules published to a repository, besides the parent and the BOM. */
  private static final List<String> PUBLISHED = List.of("api", "impl", "spring-starter", "redis");

  private static final Pom PARENT = Pom.read(ROOT.resolve("pom.xml"));

  @Test
  void theRootHasTheApacheLicenceAndTheTestDataKeepTheirOwn() throws IOException {
    String licence = Files.readString(ROOT.resolve("LICENSE"), StandardCharsets.UTF_8);
    assertThat(licence).contains("Apache License", "Version 2.0, January 2004",
        "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION", "END OF TERMS AND CONDITIONS");
    assertThat(ROOT.resolve("impl/src/test/resources/bounces/LICENSE")).isRegularFile();
    assertThat(ROOT.resolve("impl/src/test/resources/addresses/LICENSES/jmail-MIT.txt")).isRegularFile();
    assertThat(ROOT.resolve("impl/src/test/resources/addresses/LICENSES/isemail-BSD-3-Clause.txt")).isRegularFile();
  }

  @Test
  void theParentCarriesTheMetadataARepositoryRequires() {
    assertMetadata(PARENT);
  }

  @Test
  void theChangelogHasAnUnreleasedSection() throws IOException {
    assertThat(Files.readString(ROOT.resolve("CHANGELOG.md"), StandardCharsets.UTF_8)).contains("## Unreleased");
  }

  @Test
  void theReleaseProfileAttachesSourcesAndJavadoc() {
    Element release = PARENT.children("profiles", "profile").stream()
        .filter(p -> "release".equals(Pom.text(p, "id"))).findFirst().orElseThrow();
    Map<String, List<String>> goals = new TreeMap<>();
    for (Element plugin : Pom.children(release, "build", "plugins", "plugin")) {
      List<String> g = new ArrayList<>();
      for (Element execution : Pom.children(plugin, "executions", "execution")) {
        Pom.children(execution, "goals", "goal").forEach(e -> g.add(e.getTextContent().strip()));
      }
      goals.put(Pom.text(plugin, "artifactId"), g);
    }
    assertThat(goals).containsEntry("maven-source-plugin", List.of("jar-no-fork"))
        .containsEntry("maven-javadoc-plugin", List.of("jar"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "impl", "spring-starter", "redis"})
  void aPublishedModuleInheritsTheMetadataAndSkipsNothingOfARelease(String dir) {
    Pom pom = Pom.read(ROOT.resolve(dir).resolve("pom.xml"));
    assertThat(pom.text("parent", "artifactId")).isEqualTo("mailwarden-parent");
    assertThat(pom.text("name")).isNotBlank();
    assertThat(pom.text("description")).isNotBlank();
    for (String skip : List.of("maven.install.skip", "maven.deploy.skip", "maven.source.skip",
        "maven.javadoc.skip", "maven.main.skip")) {
      assertThat(pom.text("properties", skip)).as("%s: %s", dir, skip).isNotEqualTo("true");
    }
    assertThat(pom.children("licenses", "license")).as("%s overrides the licence", dir).isEmpty();
  }

  @Test
  void theBomManagesExactlyThePublishedModulesAtTheParentsVersion() {
    Pom bom = Pom.read(ROOT.resolve("bom/pom.xml"));
    assertThat(PARENT.children("modules", "module")).extracting(Node::getTextContent).contains("bom");
    assertThat(bom.text("artifactId")).isEqualTo("mailwarden-bom");
    assertThat(bom.text("packaging")).isEqualTo("pom");
    // no parent: importing the BOM must not import the parent's third-party versions
    assertThat(bom.children("parent")).isEmpty();
    assertThat(bom.text("groupId")).isEqualTo(PARENT.text("groupId"));
    assertThat(bom.text("version")).isEqualTo(PARENT.text("version"));
    assertMetadata(bom);

    List<String> published = PUBLISHED.stream()
        .map(dir -> Pom.read(ROOT.resolve(dir).resolve("pom.xml")).text("artifactId")).sorted().toList();
    List<Element> managed = bom.children("dependencyManagement", "dependencies", "dependency");
    assertThat(managed).extracting(d -> Pom.text(d, "artifactId")).containsExactlyInAnyOrderElementsOf(published);
    assertThat(managed).allSatisfy(d -> {
      assertThat(Pom.text(d, "groupId")).isEqualTo(PARENT.text("groupId"));
      assertThat(Pom.text(d, "version")).isEqualTo("${project.version}");
    });
  }

  @Test
  void examplesAndBenchmarksAreNeverInstalledOrDeployed() throws IOException {
    for (String dir : List.of("examples", "benchmarks")) {
      Pom pom = Pom.read(ROOT.resolve(dir).resolve("pom.xml"));
      assertThat(pom.text("properties", "maven.install.skip")).as(dir).isEqualTo("true");
      assertThat(pom.text("properties", "maven.deploy.skip")).as(dir).isEqualTo("true");
    }
    List<Path> examples;
    try (Stream<Path> s = Files.list(ROOT.resolve("examples"))) {
      examples = s.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).sorted().toList();
    }
    assertThat(examples).hasSizeGreaterThanOrEqualTo(4).allSatisfy(p -> {
      Pom pom = Pom.read(p);
      assertThat(pom.text("parent", "artifactId")).isEqualTo("mailwarden-examples");
      assertThat(pom.text("properties", "maven.install.skip")).as(p.toString()).isNotEqualTo("false");
      assertThat(pom.text("properties", "maven.deploy.skip")).as(p.toString()).isNotEqualTo("false");
    });
  }

  @Test
  void aggregatedJavadocLeavesOutTheBenchmarksAndTheExamples() {
    Element javadoc = PARENT.children("build", "pluginManagement", "plugins", "plugin").stream()
        .filter(p -> "maven-javadoc-plugin".equals(Pom.text(p, "artifactId"))).findFirst().orElseThrow();
    List<String> skipped = List.of(Pom.text(javadoc, "configuration", "skippedModules").split("\\s*,\\s*"));
    assertThat(skipped).contains("mailwarden-benchmarks", "mailwarden-examples",
        "mailwarden-example-quickstart", "mailwarden-example-plain-jakarta-mail",
        "mailwarden-example-spring-boot-app", "mailwarden-example-bounce-inspector");
  }

  private static void assertMetadata(Pom pom) {
    assertThat(pom.text("url")).startsWith("https://");
    assertThat(pom.text("organization", "name")).isNotBlank();
    assertThat(pom.children("licenses", "license")).singleElement().satisfies(l -> {
      assertThat(Pom.text(l, "name")).isEqualTo("Apache-2.0");
      assertThat(Pom.text(l, "url")).isEqualTo("https://www.apache.org/licenses/LICENSE-2.0.txt");
    });
    assertThat(pom.children("developers", "developer")).isNotEmpty()
        .allSatisfy(d -> assertThat(Pom.text(d, "name")).isNotBlank());
    assertThat(pom.text("scm", "url")).startsWith("https://");
    assertThat(pom.text("scm", "connection")).startsWith("scm:git:");
    assertThat(pom.text("scm", "developerConnection")).startsWith("scm:git:");
    if (pom != PARENT) {
      assertThat(pom.text("scm", "url")).isEqualTo(PARENT.text("scm", "url"));
      assertThat(pom.text("url")).isEqualTo(PARENT.text("url"));
    }
  }

  /** A pom read as XML; paths go through direct children only, so a profile's plugins stay apart. */
  record Pom(Element project) {
    static Pom read(Path file) {
      try {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(file.toFile());
        return new Pom(d.getDocumentElement());
      } catch (Exception e) {
        throw new AssertionError("cannot read " + file, e);
      }
    }

    String text(String... path) {
      return text(project, path);
    }

    List<Element> children(String... path) {
      return children(project, path);
    }

    /** The text of the element at the path, or "" when there is none. */
    static String text(Element from, String... path) {
      List<Element> found = children(from, path);
      return found.isEmpty() ? "" : found.get(0).getTextContent().strip();
    }

    /** The elements at the path: the last name may match several children. */
    static List<Element> children(Element from, String... path) {
      List<Element> level = List.of(from);
      for (String name : path) {
        List<Element> next = new ArrayList<>();
        for (Element e : level) {
          for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
              next.add(c);
            }
          }
        }
        level = next;
      }
      return level;
    }
  }
}
