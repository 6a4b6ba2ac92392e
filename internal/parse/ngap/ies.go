package ngap

// ieTypes gives, by IE id, the ASN.1 type of the IE's value as the object
// sets of TS 38.413 (NGAP-PDU-Contents, NGAP-IEs) give it, for the IEs the
// schema names (asn/ngap-ies.asn); types declared UNMODELLED there are
// kept as octets. Other IEs are named (ieNames) and kept as octets.
//
// To decode another IE: 1. write its value type in asn/ngap-ies.asn, as the
// specification writes it (iE-Extensions and choice-Extensions decode by
// id on their own); 2. add its id to namedIETypes (or, when its type has another name, to otherIETypes); 3. add it to an aptest builder and
// to the table test.
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
	0, 1, 3, 10, 15, 18, 19, 24, 25, 26, 27, 28, 29, 31, 33, 34,
	36, 38, 39, 41, 45, 46, 50, 52, 55, 58, 60, 70, 71, 72, 74, 75,
	79, 80, 82, 83, 85, 86, 89, 90, 91, 93, 94, 96, 101, 102, 103, 106,
	107, 108, 110, 112, 114, 115, 117, 118, 119, 121, 127, 129, 130, 132, 133, 134,
	136, 138, 146, 147, 148, 213,
}

// otherIETypes are the IEs whose value type has another name.
var otherIETypes = map[int]string{
	21:  "PagingDRX",                   // DefaultPagingDRX
	37:  "NAS-PDU",                     // NASC
	40:  "AMF-UE-NGAP-ID",              // NewAMF-UE-NGAP-ID
	48:  "AMFName",                     // OldAMF
	100: "AMF-UE-NGAP-ID",              // SourceAMF-UE-NGAP-ID
	139: "UPTransportLayerInformation", // UL-NGU-UP-TNLInformation
}

// IEName returns the name of an IE id as TS 38.413 spells it
// ("RAN-UE-NGAP-ID"), or "ie <id>" for an id it does not assign.
func IEName(id int) string { return protocol.IEName(id) }

// IEType returns the ASN.1 type of an IE id's value ("RAN-UE-NGAP-ID"), or
// "" when the schema does not name it.
func IEType(id int) string { return protocol.IEType(id) }
