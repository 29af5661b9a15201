package io.keygate.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** keygate-core's packages depend on each other without cycles, and on no library (it goes into Keycloak and the gateway alike). */
class PackageCyclesTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.keygate.core");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.keygate.core.(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(CORE);
    }

    @Test
    void dependsOnTheJdkOnly() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages("java..", "io.keygate.core..")
                .check(CORE);
    }
}
