package org.mailwarden.spring.autoconfigure;

import org.junit.jupiter.api.Test;
import org.mailwarden.testing.ModuleBoundary;

/**
 * The starter is built on the class path, where impl's module descriptor is not enforced: the check
 * is. {@code org.mailwarden.spring} is the Automatic-Module-Name in pom.xml; it may use the public
 * packages only.
 */
class ModuleBoundaryTests {
  @Test
  void mainClassesUseOnlyPackagesThatApiAndImplExportToThisModule() {
    ModuleBoundary.assertUsesOnlyExportedPackages("org.mailwarden.spring");
  }
}
