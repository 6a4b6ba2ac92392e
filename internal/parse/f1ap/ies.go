package f1ap

// ieTypes gives, by IE id, the ASN.1 type of the IE's value as the object
// sets of TS 38.473 V18.7.0 (F1AP-PDU-Contents, F1AP-IEs) give it, for
// the IEs the schema names (asn/f1ap-ies.asn); types declared UNMODELLED
// there are kept as octets. Other IEs are named (ieNames) and kept as
// octets.
//
// To decode another IE: 1. write its value type in asn/f1ap-ies.asn, as the
// specification writes it (lists of ProtocolIE-SingleContainer and
// iE-Extensions decode by id on their own); 2. add its id to namedIETypes (or, when its type has another name, to otherIETypes); 3. if it
// carries RRC, read it in summarize (summary.go); 4. add it to an aptest
// builder and to the table test.
var ieTypes = func() map[int]string {
	m := make(map[int]string, len(namedIETypes)+len(otherIETypes))
	for _, id := range namedIETypes {
		m[id] = ieNames[id]
	}
	for id, typ := range otherIETypes {
		m[id] = typ
	}
	return m
}()

// namedIETypes are the IEs whose value type is spelled as the IE itself.
var namedIETypes = []int{
	0, 1, 2, 3, 4, 5, 6, 7, 9, 12, 13, 14, 15, 16, 17, 18,
	19, 20, 21, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36,
	37, 38, 39, 43, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59,
	60, 61, 62, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76,
	77, 78, 79, 80, 81, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93,
	94, 95, 97, 98, 99, 100, 105, 106, 107, 108, 109, 111, 112, 114, 115, 116,
	117, 119, 126, 127, 128, 129, 130, 139, 159, 160, 162, 163, 164, 172, 173, 174,
	178, 179, 180, 182, 183, 184, 185, 186, 187, 189, 190, 191, 193, 194, 198, 200,
	201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 218,
	222, 226, 231, 233, 234, 237, 238, 241, 242,
}

// otherIETypes are the IEs whose value type has another name.
var otherIETypes = map[int]string{
	40:  "GNB-CU-UE-F1AP-ID",            // gNB-CU-UE-F1AP-ID
	41:  "GNB-DU-UE-F1AP-ID",            // gNB-DU-UE-F1AP-ID
	42:  "GNB-DU-ID",                    // gNB-DU-ID
	44:  "GNB-DU-Served-Cells-List",     // gNB-DU-Served-Cells-List
	45:  "GNB-DU-Name",                  // gNB-DU-Name
	47:  "GNB-DU-UE-F1AP-ID",            // oldgNB-DU-UE-F1AP-ID
	63:  "NRCGI",                        // SpCell-ID
	82:  "GNB-CU-Name",                  // gNB-CU-Name
	96:  "CellULConfigured",             // SpCellULConfigured
	113: "PagingCell-list",              // PagingCell-List
	118: "GNB-CUSystemInformation",      // gNB-CUSystemInformation
	131: "SliceSupportList",             // TAISliceSupportList
	156: "GNB-DU-UE-F1AP-ID",            // ConfirmedUEID
	158: "BitRate",                      // GNB-DU-UE-AMBR-UL
	161: "PDCPSNLength",                 // DLPDCPSNLength
	165: "PLMN-Identity",                // ServingPLMN
	170: "RRC-Version",                  // GNB-CU-RRC-Version
	171: "RRC-Version",                  // GNB-DU-RRC-Version
	176: "DCBasedDuplicationConfigured", // DC-Based-Duplication-Configured
	177: "DuplicationActivation",        // DC-Based-Duplication-Activation
	181: "BitRate",                      // ULPDUSessionAggregateMaximumBitRate
	188: "DuplicationActivation",        // Duplication-Activation
	192: "PDCPSNLength",                 // ULPDCPSNLength
	199: "Latest-RRC-Version-Enhanced",  // latest-RRC-Version-Enhanced
	217: "GNB-CU-UE-F1AP-ID",            // new-gNB-CU-UE-F1AP-ID
	219: "GNB-DU-UE-F1AP-ID",            // new-gNB-DU-UE-F1AP-ID
	221: "PLMN-Identity",                // PLMNAssistanceInfoForNetShar
	224: "PLMN-Identity",                // SelectedPLMNID
	426: "Extended-GNB-CU-Name",         // Extended-GNB-DU-Name
	427: "Extended-GNB-DU-Name",         // Extended-GNB-CU-Name
}

// IEName returns the name of an IE id as TS 38.473 spells it
// ("gNB-CU-UE-F1AP-ID"), or "ie <id>" for an id it does not assign.
func IEName(id int) string { return protocol.IEName(id) }

// IEType returns the ASN.1 type of an IE id's value ("GNB-CU-UE-F1AP-ID"),
// or "" when the schema does not name it.
func IEType(id int) string { return protocol.IEType(id) }
