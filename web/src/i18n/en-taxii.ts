// TAXII / STIX section of the feeds screen. Spread into `en` (en.ts); he-taxii.ts must have the
// same shape.
export const enTaxii = {
  taxii: {
    title: 'TAXII and STIX',
    subtitle:
      'Read-only threat-intelligence services: TAXII 2.1 for SIEMs, OpenCTI, MISP and Palo Alto; TAXII 1.1 with STIX 1.1.1 for Cisco Secure Email (ESA). Same access rules and consumer tokens as the feeds.',
    v21: 'TAXII 2.1 (STIX 2.1)',
    v11: 'TAXII 1.1 (STIX 1.1.1): Cisco ESA',
    v11Hint: 'In ESA, set the polling path to /taxii/poll and the collection name to one of the names below; the consumer token goes in the password field.',
    v11Collections: 'Collection names:',
    discovery: 'Discovery',
    apiRoot: 'API root',
    collections: 'Collection ids',
    collectionId: 'Collection: {{ name }}',
    allCollection: 'every type, with the Moat identity',
    collectionManagement: 'Collection management',
    poll: 'Poll service',
    bundle: 'STIX 2.1 bundles',
    bundleAll: 'Every active indicator',
    bundleType: 'One type (replace domain with ip, url, email, md5, sha1, sha256 or hash)',
    publicUrl: 'Public base URL',
    publicUrlHint: 'How devices reach Moat (e.g. https://moat.example.org). TAXII discovery hands out addresses built from it; when empty it hands out paths.',
    tlp: 'TLP marking on STIX indicators',
    tlpHint: 'Applies to versions published from now on.',
    tlpOptions: {
      none: 'None',
      white: 'TLP:WHITE',
      green: 'TLP:GREEN',
      amber: 'TLP:AMBER',
      red: 'TLP:RED',
    },
    save: 'Save TAXII settings',
  },
}
