package per_test

import (
	"fmt"
	"strings"

	"github.com/nrladder/nrladder/internal/parse/per"
)

func Example() {
	schema := per.MustCompile(per.File{Name: "smc.asn", Text: []byte(`
SMC DEFINITIONS AUTOMATIC TAGS ::= BEGIN
SecurityModeCommand ::= SEQUENCE {
    rrc-TransactionIdentifier   INTEGER (0..3),
    criticalExtensions          CHOICE {
        securityModeCommand         SecurityModeCommand-IEs,
        criticalExtensionsFuture    SEQUENCE {}
    }
}
SecurityModeCommand-IEs ::= SEQUENCE {
    securityConfigSMC           SEQUENCE {
        securityAlgorithmConfig     SecurityAlgorithmConfig,
        ...
    },
    lateNonCriticalExtension    OCTET STRING    OPTIONAL,
    nonCriticalExtension        SEQUENCE{}      OPTIONAL
}
SecurityAlgorithmConfig ::= SEQUENCE {
    cipheringAlgorithm          ENUMERATED {nea0, nea1, nea2, nea3, spare4, spare3, spare2, spare1, ...},
    integrityProtAlgorithm      ENUMERATED {nia0, nia1, nia2, nia3, spare4, spare3, spare2, spare1, ...} OPTIONAL,
    ...
}
END`)})

	// txid 2, nea2, nia2: 10 0 00 0 0 1 0 010 0 010
	v, err := schema.Decode("SecurityModeCommand", []byte{0x81, 0x22}, per.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	jer, _ := v.MarshalJSON()
	fmt.Println(string(jer))
	fmt.Println(v.Get("criticalExtensions.securityModeCommand.securityConfigSMC.securityAlgorithmConfig.cipheringAlgorithm").Ident)
	for _, l := range v.Tree() {
		fmt.Println(strings.TrimRight(strings.Repeat("  ", l.Depth)+l.Name+" "+l.Value, " "))
	}

	_, err = schema.Decode("SecurityModeCommand", []byte{0x81}, per.Options{})
	fmt.Println(err)
	// Output:
	// {"rrc-TransactionIdentifier":2,"criticalExtensions":{"securityModeCommand":{"securityConfigSMC":{"securityAlgorithmConfig":{"cipheringAlgorithm":"nea2","integrityProtAlgorithm":"nia2"}}}}}
	// nea2
	// SecurityModeCommand
	//   rrc-TransactionIdentifier 2
	//   criticalExtensions securityModeCommand
	//     securityModeCommand
	//       securityConfigSMC
	//         securityAlgorithmConfig
	//           cipheringAlgorithm nea2
	//           integrityProtAlgorithm nia2
	// per: SecurityModeCommand.criticalExtensions.securityModeCommand.securityConfigSMC.securityAlgorithmConfig.cipheringAlgorithm: bit 8: truncated input (need 1 bits, 0 left)
}
