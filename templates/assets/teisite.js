// teisite
