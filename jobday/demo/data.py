"""Static, fictional demo data used by the deterministic demo-data seeder.

Everything here is plain Python data (tuples of strings and small tuples) so the
seeder can pick from it with a seeded RNG and always produce the same demo dataset.

All people, companies and descriptions are invented. Website domains use the
reserved ``.example`` suffix so that no real domain is ever referenced.
Postcodes and municipalities are real Belgian ones (public geographic data).
"""

from __future__ import annotations

# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------

# First names heard in Belgium: French, Dutch and German-speaking communities plus
# names from immigrant communities. Deliberately rich in accents and special letters
# so the app's forms, search, sorting and exports get exercised.
FIRST_NAMES: tuple[str, ...] = (
    # French-speaking
    "Zoë",
    "Chloé",
    "Noémie",
    "Hélène",
    "Françoise",
    "Jérôme",
    "Anaïs",
    "Thaïs",
    "Maëlle",
    "Loïc",
    "Inès",
    "Gaëtan",
    "Renée",
    "Léa",
    "Lucas",
    "Louis",
    "Emma",
    "Camille",
    "Théo",
    "Hugo",
    "Manon",
    "Julien",
    "Sébastien",
    "Céline",
    "Aurélie",
    "Benoît",
    "Frédéric",
    "Stéphanie",
    "Élodie",
    "Mégane",
    "Noé",
    "Raphaël",
    "Clément",
    "Amélie",
    "Valérie",
    "Agnès",
    "Cédric",
    "Ludovic",
    "Mathilde",
    "Héloïse",
    "Océane",
    "Jérémy",
    "Géraldine",
    "Gaëlle",
    "Joël",
    "Anne-Sophie",
    "Jean-François",
    "Marie-Hélène",
    "François-Xavier",
    "Pierre-Yves",
    "Marie-Ève",
    "Jean-Noël",
    # Dutch-speaking
    "Lotte",
    "Jens",
    "Wout",
    "Sien",
    "Femke",
    "Bram",
    "Ruben",
    "Nele",
    "Pieter",
    "Joris",
    "Tine",
    "Elien",
    "Arne",
    "Stijn",
    "Annelies",
    "Griet",
    "Koen",
    "Maarten",
    "Liesbeth",
    "Noor",
    "Jozefien",
    "Siebe",
    # German-speaking
    "Jürgen",
    "Björn",
    "Jörg",
    "Günther",
    "Käthe",
    "Anneliese",
    "Uwe",
    "Jannik",
    "Mareike",
    "Lena",
    "Henrik",
    # Nordic
    "Søren",
    "Åsa",
    "Ingrid",
    # Moroccan and wider Maghreb
    "Mohamed",
    "Yassine",
    "Fatima",
    "Khadija",
    "Nour",
    "Imane",
    "Soufiane",
    "Salma",
    "Hamza",
    "Ayoub",
    "Rachida",
    "Zakaria",
    "Ilyas",
    "Meryem",
    "Aïcha",
    # Turkish
    "Ömer",
    "Çağla",
    "Emre",
    "Elif",
    "Büşra",
    "Gökhan",
    "Şule",
    "Yusuf",
    "Zeynep",
    "Özlem",
    "Tuğba",
    "Burak",
    # Italian
    "Giuseppe",
    "Francesca",
    "Luca",
    "Chiara",
    "Giovanni",
    "Alessia",
    "Salvatore",
    "Nicolò",
    "Vincenzo",
    # Polish
    "Łukasz",
    "Małgorzata",
    "Agnieszka",
    "Paweł",
    "Katarzyna",
    "Wojciech",
    "Zofia",
    "Michał",
    "Jędrzej",
    # Congolese
    "Grâce",
    "Bienvenu",
    "Dieudonné",
    "Merveille",
    "Christelle",
    "Patience",
    "Espoir",
    "Glodie",
    "Exaucé",
    "Bénédicte",
    # Portuguese
    "João",
    "Inês",
    "Gonçalo",
    "Conceição",
    "Tiago",
    "Mariana",
    "Sérgio",
    "Beatriz",
    # Romanian, Spanish, Greek, Vietnamese
    "Ioana",
    "Ștefan",
    "José",
    "Begoña",
    "Nikólaos",
    "Thảo",
)

# Family names typical of Belgium: Walloon, Flemish (with particles), German-speaking
# community and immigrant origins, plus a few very long double-barrelled names.
FAMILY_NAMES: tuple[str, ...] = (
    # Walloon / French-speaking
    "Dupont",
    "Lemaître",
    "Delcourt",
    "Fontaine",
    "Goffin",
    "Lambert",
    "Dubois",
    "Leclercq",
    "Lejeune",
    "Renard",
    "Collard",
    "Gilson",
    "Hubert",
    "Dumont",
    "Martin",
    "Simon",
    "Laurent",
    "François",
    "Charlier",
    "Henrard",
    "Lecomte",
    "Jacquet",
    "Marchal",
    "Piette",
    "Mathieu",
    "Gérard",
    "Thiry",
    "Noël",
    "Pirard",
    "Lebrun",
    "Delvaux",
    "Warnier",
    "Baudoux",
    "Remacle",
    "Closset",
    "Lefèvre",
    "Léonard",
    "Delhaye",
    "Dethier",
    "Bodart",
    "Frère",
    "Masson",
    "Pâquet",
    "Poncelet",
    "Rousseau",
    "Lemaire",
    "Duchêne",
    "Dechamps",
    "Delforge",
    "Hougardy",
    "Moreau",
    "Malherbe",
    "Mélon",
    "Crèvecœur",
    "Stévenart",
    "Wéry",
    "Lacroix",
    "Bastin",
    "Evrard",
    "Géradin",
    "Collignon",
    "Wilmet",
    "Sépulchre",
    "Dufrasne",
    "Gillet",
    "Hennuy",
    "Jadoul",
    "Lhoest",
    "Marée",
    "Rigaux",
    # Flemish
    "Vandenbroucke",
    "Van der Elst",
    "De Smet",
    "Janssens",
    "Peeters",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "De Clercq",
    "Van Damme",
    "Verhoeven",
    "Hermans",
    "Van den Bossche",
    "De Backer",
    "Vermeulen",
    "Van Acker",
    "Verstraete",
    "De Wolf",
    "Coppens",
    "Pauwels",
    "Van Hecke",
    "D'Hondt",
    "Vanderlinden",
    "Smets",
    "Aerts",
    "Verbeke",
    "De Meyer",
    "Claeys",
    "Van de Velde",
    "Cools",
    "Segers",
    "Lauwers",
    "Baert",
    "Hendrickx",
    "Van Gorp",
    "Geerts",
    "Verlinden",
    "Bogaert",
    "Vanhoutte",
    "De Coninck",
    "Verschueren",
    "Buysse",
    "Van Steenkiste",
    "Op de Beeck",
    # German-speaking community
    "Müller",
    "Schmitz",
    "Kohnen",
    "Heinen",
    "Lentz",
    "Krings",
    "Thönnissen",
    "Schröder",
    "Radermacher",
    "Förster",
    "Weiß",
    "Mreyen",
    # Moroccan
    "El Amrani",
    "Benali",
    "El Idrissi",
    "Bouzid",
    "Ait Lahcen",
    "El Khattabi",
    "Azzouzi",
    "Bakkali",
    "Tahiri",
    "Ben Moussa",
    "Boukhari",
    "Zerouali",
    # Turkish
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Öztürk",
    "Aydın",
    "Arslan",
    "Doğan",
    "Güneş",
    # Italian
    "Rossi",
    "Esposito",
    "Di Marco",
    "Russo",
    "Caruso",
    "Lombardi",
    "Greco",
    "D'Angelo",
    "Di Stefano",
    "Santoro",
    # Polish
    "Wiśniewski",
    "Kowalska",
    "Nowak",
    "Wójcik",
    "Kamińska",
    "Lewandowski",
    "Zieliński",
    "Dąbrowski",
    # Congolese
    "Ngoy",
    "Mbuyi",
    "Kabongo",
    "Ilunga",
    "Tshibangu",
    "Mukendi",
    "Kalala",
    "Nsimba",
    "Mwamba",
    "Kasongo",
    # Portuguese / Spanish
    "Da Silva",
    "Ferreira",
    "Dos Santos",
    "Pereira",
    "Gonçalves",
    "Magalhães",
    "Araújo",
    "García",
    "Muñoz",
    # Nordic, Greek, Romanian, Vietnamese
    "Ødegård",
    "Sørensen",
    "Papadopoulos",
    "Popescu",
    "Nguyễn",
    # Double-barrelled / very long
    "Vandenbroucke-Dupont",
    "de Hemptinne de Looz-Corswarem",
    "Lemaître-Van der Elst",
    "Goffin-El Amrani",
    "Da Silva Ferreira",
    "Van Steenkiste-Delvaux de Fenffe",
    "de Walque-Wiśniewski",
)

# ---------------------------------------------------------------------------
# Places as tuples of postcode, municipality (or locality) and region.
# region is one of "wallonia", "brussels", "flanders". The German-speaking
# community (Eupen, Sankt Vith, ...) is part of the Walloon Region, hence "wallonia".
# ---------------------------------------------------------------------------

PLACES: tuple[tuple[str, str, str], ...] = (
    # Walloon Brabant
    ("1300", "Wavre", "wallonia"),
    ("1340", "Ottignies", "wallonia"),
    ("1348", "Louvain-la-Neuve", "wallonia"),
    ("1435", "Mont-Saint-Guibert", "wallonia"),
    ("1420", "Braine-l'Alleud", "wallonia"),
    ("1400", "Nivelles", "wallonia"),
    ("1410", "Waterloo", "wallonia"),
    ("1330", "Rixensart", "wallonia"),
    ("1480", "Tubize", "wallonia"),
    ("1490", "Court-Saint-Étienne", "wallonia"),
    ("1370", "Jodoigne", "wallonia"),
    ("1470", "Genappe", "wallonia"),
    # Namur province
    ("5000", "Namur", "wallonia"),
    ("5100", "Jambes", "wallonia"),
    ("5030", "Gembloux", "wallonia"),
    ("5060", "Sambreville", "wallonia"),
    ("5300", "Andenne", "wallonia"),
    ("5500", "Dinant", "wallonia"),
    # Hainaut
    ("6000", "Charleroi", "wallonia"),
    ("6041", "Gosselies", "wallonia"),
    ("6001", "Marcinelle", "wallonia"),
    ("6220", "Fleurus", "wallonia"),
    ("6180", "Courcelles", "wallonia"),
    ("7000", "Mons", "wallonia"),
    ("7180", "Seneffe", "wallonia"),
    ("7100", "La Louvière", "wallonia"),
    ("7500", "Tournai", "wallonia"),
    ("7700", "Mouscron", "wallonia"),
    ("7800", "Ath", "wallonia"),
    ("7060", "Soignies", "wallonia"),
    ("7330", "Saint-Ghislain", "wallonia"),
    # Liège province
    ("4000", "Liège", "wallonia"),
    ("4100", "Seraing", "wallonia"),
    ("4031", "Angleur", "wallonia"),
    ("4040", "Herstal", "wallonia"),
    ("4460", "Grâce-Hollogne", "wallonia"),
    ("4500", "Huy", "wallonia"),
    ("4800", "Verviers", "wallonia"),
    # German-speaking community (Walloon Region)
    ("4700", "Eupen", "wallonia"),
    ("4780", "Sankt Vith", "wallonia"),
    # Luxembourg province
    ("6700", "Arlon", "wallonia"),
    ("6900", "Marche-en-Famenne", "wallonia"),
    # Brussels-Capital Region
    ("1000", "Bruxelles", "brussels"),
    ("1030", "Schaerbeek", "brussels"),
    ("1040", "Etterbeek", "brussels"),
    ("1050", "Ixelles", "brussels"),
    ("1060", "Saint-Gilles", "brussels"),
    ("1070", "Anderlecht", "brussels"),
    ("1080", "Molenbeek-Saint-Jean", "brussels"),
    ("1180", "Uccle", "brussels"),
    ("1190", "Forest", "brussels"),
    ("1200", "Woluwe-Saint-Lambert", "brussels"),
    # Flanders
    ("3000", "Leuven", "flanders"),
    ("9000", "Gent", "flanders"),
    ("2000", "Antwerpen", "flanders"),
    ("2800", "Mechelen", "flanders"),
    ("1930", "Zaventem", "flanders"),
    ("3500", "Hasselt", "flanders"),
    ("2340", "Beerse", "flanders"),
    ("8000", "Brugge", "flanders"),
)

# ---------------------------------------------------------------------------
# Candidate profile material (French: most candidates are francophone)
# ---------------------------------------------------------------------------

FIELDS_OF_STUDY: tuple[str, ...] = (
    "Biotechnologie",
    "Chimie",
    "Pharmacie",
    "Biologie médicale",
    "Bio-ingénieur",
    "Électromécanique",
    "Automatisation",
    "Logistique",
    "Sciences biomédicales",
    "Génie chimique",
    "Technicien de laboratoire",
    "Biochimie",
    "Microbiologie",
    "Sciences pharmaceutiques",
    "Sciences biologiques",
    "Chimie analytique",
    "Technologue de laboratoire médical",
    "Ingénieur industriel en biochimie",
    "Ingénieur industriel en chimie",
    "Ingénieur civil en chimie et science des matériaux",
    "Électronique",
    "Électricité industrielle",
    "Mécanique",
    "Maintenance industrielle",
    "Informatique",
    "Science des données",
    "Gestion de la qualité",
    "Sciences vétérinaires",
    "Physique médicale",
    "Supply chain management",
    "Affaires réglementaires",
    "Gestion des ressources humaines",
)

ABOUT_SNIPPETS: tuple[str, ...] = (
    (
        "J'ai trois ans d'expérience en production GMP sur une ligne de remplissage aseptique. "
        "Je cherche à évoluer vers un poste de chef d'équipe."
    ),
    "Jeune diplômée en biotechnologie, je cherche mon premier emploi dans un laboratoire QC.",
    (
        "Technicien de maintenance depuis huit ans dans l'agroalimentaire, "
        "je souhaite rejoindre le secteur pharmaceutique."
    ),
    (
        "Passionnée par la microbiologie, j'ai réalisé mon stage de fin d'études "
        "en monitoring environnemental de salles blanches."
    ),
    (
        "Je termine un master en sciences biomédicales et je m'intéresse "
        "aux thérapies cellulaires et géniques."
    ),
    (
        "Après dix ans en assurance qualité, je cherche un nouveau défi "
        "dans une entreprise à taille humaine."
    ),
    (
        "Bio-ingénieur de formation, j'ai développé des procédés de purification "
        "de protéines recombinantes à l'échelle pilote."
    ),
    "Je suis disponible immédiatement et prêt à travailler en pauses, y compris la nuit.",
    (
        "Électromécanicien, j'aime comprendre comment fonctionnent les machines "
        "et les remettre en route rapidement."
    ),
    (
        "J'ai suivi une formation de reconversion en opérateur de production biopharmaceutique "
        "et je cherche un premier contrat."
    ),
    (
        "Chimiste analyticienne, je maîtrise la HPLC, la GC et la validation de méthodes "
        "selon les guidelines ICH."
    ),
    (
        "Je souhaite mettre mes compétences en logistique au service de la chaîne du froid "
        "pharmaceutique."
    ),
    (
        "Pharmacien de formation, je m'oriente vers les affaires réglementaires "
        "et la rédaction de dossiers CTD."
    ),
    (
        "Rigoureuse et organisée, j'ai l'habitude de la documentation GMP "
        "et des revues de dossiers de lot."
    ),
    (
        "J'ai travaillé deux ans comme intérimaire en conditionnement secondaire "
        "et je vise un contrat à durée indéterminée."
    ),
    (
        "Ingénieur automaticien, j'ai programmé des automates Siemens "
        "et participé à la qualification de nouvelles lignes."
    ),
    (
        "Je parle couramment français, néerlandais et anglais, "
        "un atout pour travailler avec des équipes internationales."
    ),
    "Je cherche un stage de six mois en validation ou en qualification d'équipements.",
    (
        "Titulaire d'un bachelier en chimie, j'aimerais rejoindre un laboratoire "
        "de contrôle qualité des matières premières."
    ),
    (
        "J'ai participé à plusieurs inspections de l'AFMPS et de la FDA "
        "en tant que responsable de la déviation et des CAPA."
    ),
    (
        "Je suis curieux, j'apprends vite et je veux contribuer à la fabrication "
        "de médicaments qui changent des vies."
    ),
    (
        "Après un doctorat en immunologie, je souhaite passer du monde académique "
        "à la R&D industrielle."
    ),
    (
        "Je recherche un poste proche de Charleroi ou de Namur, "
        "idéalement accessible en transports en commun."
    ),
    (
        "Spécialisée en radioprotection, je m'intéresse aux radiopharmaceutiques "
        "et à la médecine nucléaire."
    ),
    (
        "J'ai géré l'entrepôt d'un distributeur de dispositifs médicaux "
        "et je connais bien les bonnes pratiques de distribution (GDP)."
    ),
    (
        "Data scientist, je veux appliquer l'analyse de données à l'amélioration "
        "des procédés de bioproduction."
    ),
)

# ---------------------------------------------------------------------------
# Companies as tuples of name, sector, description_fr, description_en and website_domain.
# All FICTIONAL. sector is one of: "biopharma", "cdmo", "cell_gene_therapy",
# "radiopharma", "medtech", "diagnostics", "services", "logistics", "engineering".
# ---------------------------------------------------------------------------

COMPANIES: tuple[tuple[str, str, str, str, str], ...] = (
    # --- biopharma -------------------------------------------------------
    (
        "Vaxolis",
        "biopharma",
        "Développe et produit des vaccins humains contre les maladies respiratoires.",
        "Develops and manufactures human vaccines against respiratory diseases.",
        "vaxolis.example",
    ),
    (
        "Mosanis Biologicals",
        "biopharma",
        "Producteur d'anticorps monoclonaux installé en bord de Meuse.",
        "Monoclonal antibody producer based on the banks of the Meuse.",
        "mosanis-biologicals.example",
    ),
    (
        "Sambrevax",
        "biopharma",
        "Fabrique des vaccins vétérinaires et humains pour l'Europe et l'Afrique.",
        "Manufactures veterinary and human vaccines for Europe and Africa.",
        "sambrevax.example",
    ),
    (
        "Ardenna Therapeutics",
        "biopharma",
        "Biotech clinique qui développe des traitements contre les maladies inflammatoires rares.",
        "Clinical-stage biotech developing treatments for rare inflammatory diseases.",
        "ardenna-therapeutics.example",
    ),
    (
        "Hesbiopharm",
        "biopharma",
        "Conçoit des protéines thérapeutiques de nouvelle génération pour l'oncologie.",
        "Designs next-generation therapeutic proteins for oncology.",
        "hesbiopharm.example",
    ),
    (
        "Condroz Biosciences",
        "biopharma",
        "Développe des vaccins à ARN messager, de la découverte aux essais de phase II.",
        "Develops messenger RNA vaccines, from discovery to phase II trials.",
        "condroz-biosciences.example",
    ),
    (
        "Brabavia Pharma",
        "biopharma",
        "Entreprise pharmaceutique spécialisée dans les médicaments injectables hospitaliers.",
        "Pharmaceutical company specialised in hospital injectable medicines.",
        "brabavia-pharma.example",
    ),
    (
        "Orvalys Therapeutics",
        "biopharma",
        "Développe des peptides thérapeutiques contre les maladies métaboliques.",
        "Develops therapeutic peptides against metabolic diseases.",
        "orvalys.example",
    ),
    (
        "Fagnevia Biotech",
        "biopharma",
        "Start-up issue de l'université qui cible le microbiome intestinal.",
        "University spin-off targeting the gut microbiome.",
        "fagnevia.example",
    ),
    (
        "Lumenor Immunologics",
        "biopharma",
        (
            "Conçoit des immunothérapies pour les maladies auto-immunes. "
            "Son site pilote produit les lots cliniques."
        ),
        (
            "Designs immunotherapies for autoimmune diseases. "
            "Its pilot plant produces the clinical batches."
        ),
        "lumenor-immuno.example",
    ),
    # --- cdmo ------------------------------------------------------------
    (
        "Sambre BioManufacturing",
        "cdmo",
        "CDMO spécialisée dans la culture cellulaire à grande échelle en bioréacteurs.",
        "CDMO specialised in large-scale cell culture in bioreactors.",
        "sambre-biomanufacturing.example",
    ),
    (
        "Ourthe Fill & Finish",
        "cdmo",
        "Remplissage aseptique de flacons et seringues pour des clients biotech.",
        "Aseptic filling of vials and syringes for biotech clients.",
        "ourthe-fillfinish.example",
    ),
    (
        "Nivelia Bioprocess",
        "cdmo",
        "Développement et scale-up de procédés biologiques, du laboratoire au BPF.",
        "Bioprocess development and scale-up, from the lab to GMP.",
        "nivelia-bioprocess.example",
    ),
    (
        "Gemblia Contract Labs",
        "cdmo",
        "Fabrication à façon de substances actives biologiques pour les essais cliniques.",
        "Contract manufacturing of biological drug substances for clinical trials.",
        "gemblia-contract.example",
    ),
    (
        "Quatre-Bras Biologics",
        "cdmo",
        "CDMO de taille moyenne qui produit des protéines recombinantes sur systèmes microbiens.",
        "Mid-sized CDMO producing recombinant proteins in microbial systems.",
        "quatrebras-biologics.example",
    ),
    (
        "Aseptheon Manufacturing",
        "cdmo",
        "Production stérile de petits lots pour les médicaments orphelins.",
        "Sterile production of small batches for orphan drugs.",
        "aseptheon.example",
    ),
    (
        "Plasmivor",
        "cdmo",
        "Produit de l'ADN plasmidique de qualité GMP pour les thérapies géniques et l'ARNm.",
        "Produces GMP-grade plasmid DNA for gene therapies and mRNA.",
        "plasmivor.example",
    ),
    (
        "Lyomosa",
        "cdmo",
        "Spécialiste de la lyophilisation de produits biologiques sensibles.",
        "Specialist in freeze-drying sensitive biological products.",
        "lyomosa.example",
    ),
    (
        "Hainaut Biofab",
        "cdmo",
        "Site multiproduit de fabrication de vaccins à façon, ouvert en continu.",
        "Multi-product contract vaccine manufacturing site running around the clock.",
        "hainaut-biofab.example",
    ),
    # --- cell & gene therapy ---------------------------------------------
    (
        "Celludor Therapeutics",
        "cell_gene_therapy",
        "Développe des thérapies CAR-T autologues contre les lymphomes.",
        "Develops autologous CAR-T therapies against lymphomas.",
        "celludor.example",
    ),
    (
        "Capsidra",
        "cell_gene_therapy",
        "Conçoit et produit des vecteurs AAV pour la thérapie génique.",
        "Designs and produces AAV vectors for gene therapy.",
        "capsidra.example",
    ),
    (
        "Lymphéa Cell Therapy",
        "cell_gene_therapy",
        "Thérapies cellulaires allogéniques fabriquées en salles blanches de classe A.",
        "Allogeneic cell therapies manufactured in grade A cleanrooms.",
        "lymphea-celltherapy.example",
    ),
    (
        "Traminis Gene Therapies",
        "cell_gene_therapy",
        "Développe des thérapies géniques pour les maladies neuromusculaires rares.",
        "Develops gene therapies for rare neuromuscular diseases.",
        "traminis.example",
    ),
    (
        "Autolia Cell Factory",
        "cell_gene_therapy",
        "Plateforme de production décentralisée de thérapies cellulaires au chevet du patient.",
        "Decentralised platform producing cell therapies close to the patient.",
        "autolia-cellfactory.example",
    ),
    (
        "Ardugene",
        "cell_gene_therapy",
        "Utilise l'édition génomique pour corriger les maladies héréditaires du sang.",
        "Uses genome editing to correct inherited blood disorders.",
        "ardugene.example",
    ),
    (
        "Lentivia Vectors",
        "cell_gene_therapy",
        "Produit des vecteurs lentiviraux cliniques pour des partenaires européens.",
        "Produces clinical-grade lentiviral vectors for European partners.",
        "lentivia-vectors.example",
    ),
    # --- radiopharma -----------------------------------------------------
    (
        "Radionys",
        "radiopharma",
        "Produit des radiopharmaceutiques pour l'imagerie TEP distribués chaque nuit.",
        "Produces PET imaging radiopharmaceuticals shipped every night.",
        "radionys.example",
    ),
    (
        "Lutekia Theranostics",
        "radiopharma",
        "Développe des radioligands au lutétium-177 pour le traitement des cancers.",
        "Develops lutetium-177 radioligands for cancer treatment.",
        "lutekia.example",
    ),
    (
        "Actimeuse",
        "radiopharma",
        "Spécialiste des émetteurs alpha pour la radiothérapie ciblée.",
        "Specialist in alpha emitters for targeted radiotherapy.",
        "actimeuse.example",
    ),
    (
        "Gammaval Isotopes",
        "radiopharma",
        "Purifie et conditionne des isotopes médicaux pour les hôpitaux européens.",
        "Purifies and packages medical isotopes for European hospitals.",
        "gammaval-isotopes.example",
    ),
    (
        "Cyclotrea",
        "radiopharma",
        "Exploite un réseau de cyclotrons pour la production de traceurs diagnostiques.",
        "Operates a network of cyclotrons producing diagnostic tracers.",
        "cyclotrea.example",
    ),
    # --- medtech ---------------------------------------------------------
    (
        "Orthoscaph Implants",
        "medtech",
        "Conçoit des implants orthopédiques imprimés en 3D sur mesure.",
        "Designs custom 3D-printed orthopaedic implants.",
        "orthoscaph.example",
    ),
    (
        "Cathérix Medical",
        "medtech",
        "Fabrique des cathéters et dispositifs d'accès vasculaire.",
        "Manufactures catheters and vascular access devices.",
        "catherix-medical.example",
    ),
    (
        "Suturial",
        "medtech",
        "Développe des sutures et colles chirurgicales résorbables.",
        "Develops absorbable surgical sutures and glues.",
        "suturial.example",
    ),
    (
        "Dermalith",
        "medtech",
        "Produit des substituts cutanés et pansements bioactifs pour les grands brûlés.",
        "Produces skin substitutes and bioactive dressings for burn patients.",
        "dermalith.example",
    ),
    (
        "Neurovalon Devices",
        "medtech",
        "Dispositifs de neurostimulation implantables contre la douleur chronique.",
        "Implantable neurostimulation devices against chronic pain.",
        "neurovalon.example",
    ),
    (
        "Ossilys",
        "medtech",
        "Substituts osseux synthétiques pour la chirurgie dentaire et orthopédique.",
        "Synthetic bone substitutes for dental and orthopaedic surgery.",
        "ossilys.example",
    ),
    (
        "Perfusa Systems",
        "medtech",
        "Conçoit des pompes à perfusion connectées pour les hôpitaux et le domicile.",
        "Designs connected infusion pumps for hospitals and home care.",
        "perfusa-systems.example",
    ),
    # --- diagnostics -----------------------------------------------------
    (
        "Sérolys Diagnostics",
        "diagnostics",
        "Développe des tests sérologiques rapides pour les maladies infectieuses.",
        "Develops rapid serological tests for infectious diseases.",
        "serolys.example",
    ),
    (
        "Assayon",
        "diagnostics",
        "Kits ELISA et multiplex pour la recherche et le diagnostic clinique.",
        "ELISA and multiplex kits for research and clinical diagnostics.",
        "assayon.example",
    ),
    (
        "Genotrail Labs",
        "diagnostics",
        "Tests moléculaires PCR et séquençage pour l'oncologie de précision.",
        "PCR and sequencing molecular tests for precision oncology.",
        "genotrail-labs.example",
    ),
    (
        "Lateralia",
        "diagnostics",
        "Fabrique des tests à flux latéral pour les professionnels de santé.",
        "Manufactures lateral flow tests for healthcare professionals.",
        "lateralia.example",
    ),
    (
        "Cytomeuse",
        "diagnostics",
        "Solutions de cytométrie et d'analyse d'images pour les laboratoires hospitaliers.",
        "Cytometry and image analysis solutions for hospital laboratories.",
        "cytomeuse.example",
    ),
    (
        "Biomarkia",
        "diagnostics",
        "Identifie et valide des biomarqueurs sanguins de la maladie d'Alzheimer.",
        "Identifies and validates blood biomarkers for Alzheimer's disease.",
        "biomarkia.example",
    ),
    (
        "Vétodiag Wallonie",
        "diagnostics",
        "Diagnostic vétérinaire pour les élevages et les cliniques de la région.",
        "Veterinary diagnostics for farms and clinics in the region.",
        "vetodiag-wallonie.example",
    ),
    # --- services (QC labs, CRO, consulting, staffing) -------------------
    (
        "Qualivance Labs",
        "services",
        "Laboratoire de contrôle qualité sous contrat : analyses physico-chimiques et libération.",
        "Contract quality control lab: physico-chemical testing and batch release.",
        "qualivance-labs.example",
    ),
    (
        "Steriquest",
        "services",
        "Tests de stérilité, d'endotoxines et monitoring environnemental pour l'industrie.",
        "Sterility, endotoxin and environmental monitoring testing for industry.",
        "steriquest.example",
    ),
    (
        "Conformia Regulatory",
        "services",
        "Conseil en affaires réglementaires et préparation des dossiers d'autorisation.",
        "Regulatory affairs consulting and marketing authorisation dossiers.",
        "conformia.example",
    ),
    (
        "Validys Consulting",
        "services",
        "Consultants en validation, qualification et intégrité des données.",
        "Consultants in validation, qualification and data integrity.",
        "validys-consulting.example",
    ),
    (
        "Bioassay Partners Liège",
        "services",
        "CRO spécialisée dans les essais biologiques et la bioanalyse des anticorps.",
        "CRO specialised in bioassays and antibody bioanalysis.",
        "bioassay-partners.example",
    ),
    (
        "Talentis Bio Staffing",
        "services",
        "Agence de recrutement et d'intérim dédiée aux métiers de la biotech.",
        "Recruitment and temp agency dedicated to biotech careers.",
        "talentis-bio.example",
    ),
    # --- logistics -------------------------------------------------------
    (
        "Coldroute Pharma Logistics",
        "logistics",
        "Transport et stockage sous température dirigée de médicaments et vaccins.",
        "Temperature-controlled transport and storage of medicines and vaccines.",
        "coldroute.example",
    ),
    (
        "Cryomosa",
        "logistics",
        "Stockage cryogénique et transport de thérapies cellulaires à -150 °C.",
        "Cryogenic storage and shipping of cell therapies at -150 °C.",
        "cryomosa.example",
    ),
    (
        "Aérofret Pharma",
        "logistics",
        "Plateforme aéroportuaire de fret pharmaceutique certifiée GDP.",
        "GDP-certified airport hub for pharmaceutical freight.",
        "aerofret-pharma.example",
    ),
    (
        "Thermobox Distribution",
        "logistics",
        "Emballages isothermes réutilisables et distribution pharmaceutique du dernier kilomètre.",
        "Reusable insulated packaging and last-mile pharmaceutical distribution.",
        "thermobox-distribution.example",
    ),
    # --- engineering -----------------------------------------------------
    (
        "Blancair Cleanrooms",
        "engineering",
        "Conçoit et construit des salles blanches et des systèmes HVAC pour le pharma.",
        "Designs and builds cleanrooms and HVAC systems for pharma.",
        "blancair.example",
    ),
    (
        "Procédia Engineering",
        "engineering",
        "Ingénierie de procédés et gestion de projets pour usines biopharmaceutiques.",
        "Process engineering and project management for biopharma plants.",
        "procedia-engineering.example",
    ),
    (
        "Automosa Systems",
        "engineering",
        "Intégrateur d'automatisation et de systèmes MES pour l'industrie pharmaceutique.",
        "Automation and MES integrator for the pharmaceutical industry.",
        "automosa.example",
    ),
    (
        "Inoxeur Process Piping",
        "engineering",
        "Tuyauterie inox orbitale et skids de procédé pour fluides stériles.",
        "Orbital-welded stainless piping and process skids for sterile fluids.",
        "inoxeur.example",
    ),
    (
        "Isolatek Barrier Systems",
        "engineering",
        "Fabrique des isolateurs et systèmes RABS pour le remplissage aseptique.",
        "Builds isolators and RABS for aseptic filling.",
        "isolatek.example",
    ),
)

# ---------------------------------------------------------------------------
# Job titles as tuples of title and job_area.
# job_area is one of: "production", "quality_control", "quality_assurance", "rnd",
# "maintenance", "engineering", "regulatory", "logistics", "other".
# Titles are in French or in the English commonly used on Belgian sites.
# ---------------------------------------------------------------------------

JOB_TITLES: tuple[tuple[str, str], ...] = (
    # production
    ("Opérateur de production aseptique", "production"),
    ("Opérateur de production USP (culture cellulaire)", "production"),
    ("Opérateur de production DSP (purification)", "production"),
    ("Opérateur de conditionnement", "production"),
    ("Chef d'équipe production", "production"),
    ("Technicien de fabrication de milieux et tampons", "production"),
    ("Manufacturing supervisor", "production"),
    # quality control
    ("Technicien QC microbiologie", "quality_control"),
    ("Technicien QC physico-chimie", "quality_control"),
    ("Analyste HPLC", "quality_control"),
    ("Technicien monitoring environnemental", "quality_control"),
    ("QC bioassay scientist", "quality_control"),
    ("Responsable laboratoire QC", "quality_control"),
    # quality assurance
    ("QA officer", "quality_assurance"),
    ("Spécialiste assurance qualité opérationnelle", "quality_assurance"),
    ("Responsable des déviations et CAPA", "quality_assurance"),
    ("Pharmacien libérateur (QP)", "quality_assurance"),
    ("Auditeur qualité fournisseurs", "quality_assurance"),
    # R&D
    ("Scientist process development", "rnd"),
    ("Chercheur en immunologie", "rnd"),
    ("Technicien de recherche en biologie moléculaire", "rnd"),
    ("Ingénieur R&D dispositifs médicaux", "rnd"),
    ("Analytical development scientist", "rnd"),
    # maintenance
    ("Technicien de maintenance électromécanique", "maintenance"),
    ("Technicien utilités (HVAC, eau purifiée)", "maintenance"),
    ("Technicien métrologie et étalonnage", "maintenance"),
    ("Responsable maintenance", "maintenance"),
    # engineering
    ("Validation engineer", "engineering"),
    ("Ingénieur automaticien", "engineering"),
    ("Ingénieur procédés", "engineering"),
    ("Ingénieur qualification CQV", "engineering"),
    ("Project engineer", "engineering"),
    # regulatory
    ("Regulatory affairs officer", "regulatory"),
    ("Spécialiste CMC réglementaire", "regulatory"),
    ("Chargé de pharmacovigilance", "regulatory"),
    # logistics
    ("Magasinier cariste (chambre froide)", "logistics"),
    ("Supply chain planner", "logistics"),
    ("Coordinateur expéditions GDP", "logistics"),
    # other
    ("Data analyst", "other"),
    ("Technicien HSE", "other"),
    ("Assistant administratif", "other"),
    ("Formateur GMP", "other"),
)
