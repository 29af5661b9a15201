package io.keygate.keycloak.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The extension's feature packages depend on each other without cycles. */
class PackageCyclesTest {

    private static final JavaClasses EXTENSION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.keygate.keycloak");

    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching("io.keygate.keycloak.(*)..").should().beFreeOfCycles().check(EXTENSION);
    }

    @Test
    void subpackagesOfAFeatureAreFreeOfCycles() {
        slices().matching("io.keygate.keycloak.*.(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(EXTENSION);
    }
}
