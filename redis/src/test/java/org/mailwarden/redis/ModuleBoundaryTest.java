package org.mailwarden.redis;

import org.junit.jupiter.api.Test;
import org.mailwarden.testing.ModuleBoundary;

/**
 * This module is built on the class path, where impl's module descriptor is not enforced: the check
 * is. {@code org.mailwarden.redis} is the Automatic-Module-Name in pom.xml; impl's module-info.java
 * exports to it the internal packages of the store plug-in.
 */
class ModuleBoundaryTest {
  @Test
  void mainClassesUseOnlyPackagesThatApiAndImplExportToThisModule() {
    ModuleBoundary.assertUsesOnlyExportedPackages("org.mailwarden.redis");
  }
}
