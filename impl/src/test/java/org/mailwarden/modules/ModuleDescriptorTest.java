package org.mailwarden.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;
import org.mailwarden.Mailwarden;
import org.mailwarden.testing.ModuleBoundary;
import org.mailwarden.transport.MailwardenProvider;

/**
 * The public surface as the module descriptors state it: what api and impl export, to whom, and
 * that no package is in both. A change here is a change of the public API.
 */
class ModuleDescriptorTest {
  private final ModuleDescriptor api = ModuleBoundary.descriptorOf(Mailwarden.class);
  private final ModuleDescriptor impl = ModuleBoundary.descriptorOf(MailwardenProvider.class);

  @Test
  void apiExportsEachOfItsPublicPackagesToEveryone() {
    assertThat(api.name()).isEqualTo("org.mailwarden");
    assertThat(unqualified(api))
        .isEqualTo(api.packages().stream().filter(p -> !p.startsWith("org.mailwarden.internal"))
            .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder("org.mailwarden", "org.mailwarden.bounce",
            "org.mailwarden.suppression");
  }

  @Test
  void implExportsOnlyTheTransportTheBounceParserAndTheStoreSpiToEveryone() {
    assertThat(impl.name()).isEqualTo("org.mailwarden.impl");
    assertThat(unqualified(impl))
        .containsExactlyInAnyOrder("org.mailwarden.transport", "org.mailwarden.bounce.parser",
            "org.mailwarden.spi");
  }

  @Test
  void internalPackagesAreExportedOnlyToMailwardensOwnModules() {
    Set<Exports> internal = java.util.stream.Stream.concat(impl.exports().stream(), api.exports().stream())
        .filter(e -> e.source().startsWith("org.mailwarden.internal"))
        .collect(Collectors.toSet());
    assertThat(internal).isNotEmpty().allSatisfy(e -> {
      assertThat(e.isQualified()).as(e.source()).isTrue();
      assertThat(e.targets()).as(e.source()).allMatch(t -> t.startsWith("org.mailwarden."));
    });
  }

  @Test
  void noPackageIsSplitBetweenApiAndImpl() {
    Set<String> both = new HashSet<>(api.packages());
    both.retainAll(impl.packages());
    assertThat(both).isEmpty();
  }

  @Test
  void aPackageExportedToOneModuleIsVisibleToItAndHiddenFromAnApplication() {
    Exports qualified = api.exports().stream().filter(Exports::isQualified).findFirst()
        .orElseThrow();
    String target = qualified.targets().iterator().next();
    assertThat(ModuleBoundary.hiddenPackages(target))
        .doesNotContainKey(qualified.source())
        .containsKey("org.mailwarden.internal.chain")
        .doesNotContainKey("org.mailwarden.transport");
    assertThat(ModuleBoundary.hiddenPackages(""))
        .containsEntry(qualified.source(), "org.mailwarden")
        .containsEntry("org.mailwarden.internal.chain", "org.mailwarden.impl")
        .doesNotContainKey("org.mailwarden.bounce.parser")
        .doesNotContainKey("org.mailwarden.suppression");
  }

  @Test
  void everyPackageExportedToEveryoneIsNullMarked() {
    Set<String> exported = new HashSet<>(unqualified(api));
    exported.addAll(unqualified(impl));
    assertThat(exported).allSatisfy(p -> {
      Class<?> info;
      try {
        info = Class.forName(p + ".package-info");
      } catch (ClassNotFoundException e) {
        throw new AssertionError(p + " has no package-info.java", e);
      }
      assertThat(info.isAnnotationPresent(NullMarked.class)).as(p).isTrue();
    });
  }

  private static Set<String> unqualified(ModuleDescriptor module) {
    return module.exports().stream()
        .filter(e -> !e.isQualified())
        .map(Exports::source)
        .collect(Collectors.toSet());
  }
}
