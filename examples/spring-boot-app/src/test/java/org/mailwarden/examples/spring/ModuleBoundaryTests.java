package org.mailwarden.examples.spring;

import org.junit.jupiter.api.Test;
import org.mailwarden.testing.ModuleBoundary;

/**
 * An example is what users copy: it uses Mailwarden's public packages only, which the module
 * descriptors of api and impl state.
 */
class ModuleBoundaryTests {
  @Test
  void mainClassesUseOnlyPackagesThatApiAndImplExportToThisModule() {
    ModuleBoundary.assertUsesOnlyExportedPackages("");
  }
}
