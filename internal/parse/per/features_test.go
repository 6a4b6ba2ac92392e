package per

// features exercises every construct of the decoder.
const features = `
Features DEFINITIONS AUTOMATIC TAGS ::= BEGIN

maxItems INTEGER ::= 4

Ints ::= SEQUENCE {
    c       INTEGER (0..7),
    neg     INTEGER (-140..-44),
    semi    INTEGER (0..MAX),
    unc     INTEGER,
    ext     INTEGER (1..4, ...),
    one     INTEGER (5),
    big     INTEGER (0..4294967295)
}

IntExt ::= SEQUENCE { e INTEGER (1..4, ...), u INTEGER (MIN..10) }

E1 ::= ENUMERATED {a, b, c}
E2 ::= ENUMERATED {a, b, ..., c, d}
Enums ::= SEQUENCE { a E1, b E2, c E2 }

Bits ::= SEQUENCE {
    f       BIT STRING (SIZE (6)),
    r       BIT STRING (SIZE (1..8)),
    u       BIT STRING,
    x       BIT STRING (SIZE (1..4, ...)),
    n       BIT STRING { a(0), b(1), c(2) } (SIZE (1..8))
}

Octets ::= SEQUENCE {
    f       OCTET STRING (SIZE (2)),
    r       OCTET STRING (SIZE (1..4)),
    u       OCTET STRING,
    x       OCTET STRING (SIZE (1..2, ...))
}

Opts ::= SEQUENCE {
    a       BOOLEAN OPTIONAL,
    b       INTEGER (0..3) DEFAULT 1,
    c       NULL,
    d       BOOLEAN
}

V0 ::= SEQUENCE { a BOOLEAN, ... }
V0b ::= SEQUENCE { a BOOLEAN, ..., [[ b INTEGER (0..3), c BOOLEAN OPTIONAL ]] }
V1 ::= SEQUENCE {
    a       BOOLEAN,
    ...,
    [[ b INTEGER (0..3), c BOOLEAN OPTIONAL ]],
    d       NULL OPTIONAL,
    e       INTEGER (0..255) OPTIONAL
}

C ::= CHOICE { x NULL, y INTEGER (0..3), ..., z BOOLEAN }
C0 ::= CHOICE { x NULL, y INTEGER (0..3), ... }
CN ::= CHOICE { a NULL, b NULL, c NULL }

L ::= SEQUENCE (SIZE (1..maxItems-1)) OF INTEGER (0..3)
LU ::= SEQUENCE OF BOOLEAN
LF ::= SEQUENCE (SIZE (2)) OF BOOLEAN

Holder ::= SEQUENCE {
    cg      OCTET STRING (CONTAINING Inner),
    und     OCTET STRING (CONTAINING Missing) OPTIONAL
}
Inner ::= SEQUENCE { id INTEGER (0..3), ... }

SetupRelease { ElementTypeParam } ::= CHOICE { release NULL, setup ElementTypeParam }
SR ::= SEQUENCE { s SetupRelease { Inner }, r SetupRelease { INTEGER (0..3) } }

Tree ::= SEQUENCE { v INTEGER (0..7), kids SEQUENCE (SIZE (0..2)) OF Tree }

Aligned ::= SEQUENCE {
    a       BOOLEAN,
    b       INTEGER (0..255),
    c       INTEGER (0..65535),
    d       OCTET STRING (SIZE (1..4)),
    e       INTEGER (0..MAX),
    f       BIT STRING (SIZE (20)),
    g       INTEGER (0..100000)
}

END
`
