package org.mailwarden.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.ArchConfiguration;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.mailwarden.Mailwarden;
import org.mailwarden.transport.MailwardenProvider;

/**
 * The module boundary of {@code org.mailwarden} (api) and {@code org.mailwarden.impl}, checked for
 * code that is compiled on the class path, where the module system checks nothing.
 *
 * <p>The two descriptors ({@code module-info.java} of api and impl) are the single statement of
 * what other code may use: their unqualified exports, plus the packages exported to the module
 * being checked by name ({@code exports ... to org.mailwarden.redis}). A consuming module's test
 * calls {@link #assertUsesOnlyExportedPackages(String)}; the check reads the descriptors of the
 * api and impl on the test class path, imports the module's own main classes ({@code
 * target/classes}) with ArchUnit and fails, naming each class and line, when one of them uses a
 * package of api or impl that is not exported to it.
 */
public final class ModuleBoundary {
  private ModuleBoundary() {}

  /**
   * Fails when a main class of the module under test uses a package of Mailwarden's api or impl
   * module that is not exported to {@code moduleName}.
   *
   * @param moduleName the module name of the module under test (its {@code Automatic-Module-Name}),
   *     or {@code ""} for an application that has none and may use only the unqualified exports
   */
  public static void assertUsesOnlyExportedPackages(String moduleName) {
    Objects.requireNonNull(moduleName, "moduleName");
    Path classes = Path.of("target", "classes");
    if (!Files.isDirectory(classes)) {
      throw new AssertionError(classes.toAbsolutePath() + " does not exist: run from the module");
    }
    Map<String, String> hidden = hiddenPackages(moduleName);
    // the check needs only the package of each referenced class, which ArchUnit knows without
    // reading the referenced class files from the class path (several times faster)
    ArchConfiguration.get().setResolveMissingDependenciesFromClassPath(false);
    JavaClasses main = new ClassFileImporter().importPath(classes);
    String target = moduleName.isEmpty() ? "an application" : moduleName;
    noClasses()
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "are in a package of " + String.join(" or ", new TreeSet<>(hidden.values()))
                    + " not exported to " + target,
                (JavaClass c) -> hidden.containsKey(c.getPackageName())))
        .because(
            "the module descriptors (module-info.java of mailwarden-api and mailwarden-impl) are"
                + " the public surface; use an exported type, or export the package to "
                + target + " there on purpose")
        .check(main);
  }

  /** Returns, for each package of api and impl that {@code moduleName} may not use, its module. */
  public static Map<String, String> hiddenPackages(String moduleName) {
    Map<String, String> hidden = new TreeMap<>();
    for (ModuleDescriptor module : List.of(descriptorOf(Mailwarden.class),
        descriptorOf(MailwardenProvider.class))) {
      Set<String> visible = module.exports().stream()
          .filter(e -> !e.isQualified() || e.targets().contains(moduleName))
          .map(ModuleDescriptor.Exports::source)
          .collect(Collectors.toSet());
      for (String p : module.packages()) {
        if (!visible.contains(p)) {
          hidden.put(p, module.name());
        }
      }
    }
    return hidden;
  }

  /** Reads the descriptor of the module (a jar or a {@code target/classes}) that holds the type. */
  public static ModuleDescriptor descriptorOf(Class<?> type) {
    Path location;
    try {
      location = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Set<ModuleReference> found = ModuleFinder.of(location).findAll();
    if (found.size() != 1 || found.iterator().next().descriptor().isAutomatic()) {
      throw new AssertionError(location + " has no module descriptor (module-info.class)");
    }
    return found.iterator().next().descriptor();
  }
}
