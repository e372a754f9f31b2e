"""Demo content for the Vetted demo site: authors, reviewers, topics and articles.

Pure data, loaded by the ``seed_demo`` management command. Everything here is written in
the project's own words; people and organizations are fictional. Medical facts are kept
deliberately general and conservative, and every article points readers back to their
care team.

Article body blocks are ``(block_type, value)`` tuples matching
``content_models.blocks.ArticleBodyBlock``. A ``read_more`` value names another article
by slug; the seeding code resolves it to the page.
"""

AUTHORS = [
    {
        "slug": "priya-raman",
        "name": "Priya Raman",
        "bio": (
            "Priya Raman trained in cell biology before turning to health writing. She has "
            "spent the past nine years explaining cancer science in plain language for people "
            "who are meeting these ideas for the first time."
        ),
        "username": "writer",
    },
    {
        "slug": "daniel-whitaker",
        "name": "Daniel Whitaker",
        "bio": (
            "Daniel Whitaker worked as an oncology nurse for a decade before becoming a medical "
            "writer. He covers the practical side of treatment: side effects, appointments and "
            "the questions families bring home from the clinic."
        ),
        "username": None,
    },
]

REVIEWERS = [
    {
        "slug": "amara-okafor",
        "name": "Amara Okafor",
        "credentials": "M.D.",
        "specialty": "Medical oncology",
        "organization": "Lakeshore Cancer Institute",
        "bio": (
            "Dr. Amara Okafor is a medical oncologist who cares for people with breast and "
            "gynecologic cancers. She has been in practice for more than 15 years and leads the "
            "breast cancer clinical trials program at her center."
        ),
        "username": "clinician",
        "specialties": ["oncology"],
    },
    {
        "slug": "rafael-mendes",
        "name": "Rafael Mendes",
        "credentials": "M.D.",
        "specialty": "Hematology and oncology",
        "organization": "Northfield Regional Medical Center",
        "bio": (
            "Dr. Rafael Mendes is a hematologist and oncologist with a special interest in "
            "supportive care during cancer treatment. He teaches internal medicine residents and "
            "serves on his hospital's patient education committee."
        ),
        "username": "clinician2",
        "specialties": ["oncology", "haematology"],
    },
]

# A reader's report waiting in the clinician's queue.
READER_REPORT = {
    "article": "what-is-her2",
    "message": (
        "Could you say how long HER2 test results usually take? My appointment letter "
        "does not say, and the article mentions the test but not the wait."
    ),
}

# The demo's published correction: the article first goes live with the `earlier` words,
# then an edit marked as a correction puts `corrected` live with the public `note`.
CORRECTION = {
    "article": "tests-for-her2-positive-breast-cancer",
    "earlier": "strong, complete staining in more than 30 percent of the cancer cells",
    "corrected": "strong, complete staining in more than 10 percent of the cancer cells",
    "note": (
        "An earlier version said a 3+ score needs strong, complete staining in more than "
        "30 percent of cancer cells. That was the threshold in older guidance; laboratories "
        "now use more than 10 percent."
    ),
}

SPECIALTIES = [
    {"slug": "oncology", "name": "Oncology"},
    {"slug": "haematology", "name": "Haematology"},
    {"slug": "pathology", "name": "Pathology"},
    {"slug": "pharmacy", "name": "Pharmacy"},
    {"slug": "general-practice", "name": "General practice"},
    {"slug": "cardiology", "name": "Cardiology"},
]

# Declared once the demo articles are live: from today, Rafael Mendes advises a maker of a
# HER2-targeted drug, so he can no longer approve articles on HER2 (the demo's refusal:
# submit "Understanding HER2-Low Breast Cancer" for review and sign in as clinician2).
LATER_DECLARATIONS = {
    "rafael-mendes": [
        {
            "organization": "Halvorsen Therapeutics (a fictional company)",
            "relation": "consultancy",
            "topics": ["her2"],
            "products": "An investigational HER2-targeted antibody-drug conjugate",
        }
    ],
}

TOPICS = [
    {"slug": "her2", "name": "HER2", "specialties": ["oncology", "pathology"]},
    {"slug": "breast-cancer", "name": "Breast cancer", "specialties": ["oncology"]},
    {
        "slug": "diagnosis-and-testing",
        "name": "Diagnosis and testing",
        "specialties": ["pathology", "oncology"],
    },
    {"slug": "treatment", "name": "Treatment", "specialties": ["oncology", "pharmacy"]},
    {"slug": "hormone-receptors", "name": "Hormone receptors", "specialties": ["oncology"]},
    {
        "slug": "side-effects",
        "name": "Side effects",
        "specialties": ["oncology", "pharmacy", "general-practice"],
    },
    {
        "slug": "living-with-cancer",
        "name": "Living with cancer",
        "specialties": ["oncology", "general-practice"],
    },
]


ARTICLES = [
    # ------------------------------------------------------------------------------------------
    {
        "slug": "what-is-her2",
        "title": "What Is HER2?",
        "summary": (
            "HER2 is a protein that tells cells to grow. Learn what it means when a breast "
            "cancer is HER2-positive, how it is tested and why it matters for treatment."
        ),
        "author": "priya-raman",
        "reviewer": "amara-okafor",
        "topics": ["her2", "breast-cancer"],
        "posted": "2026-02-08",
        "key_takeaways": [
            "HER2 is a protein that helps cells grow. Breast cancers that make far too much of "
            "it are called HER2-positive.",
            "Your HER2 status comes from testing a sample of the tumor, and it helps your care "
            "team choose the treatments most likely to work.",
            "HER2-positive cancers can grow quickly, but medicines aimed at HER2 have greatly "
            "improved how well treatment works.",
        ],
        "body": [
            (
                "paragraph",
                "<p>After a breast cancer diagnosis, you will likely hear a lot of new words, and "
                "<b>HER2</b> is often one of the first. It describes something about the cancer "
                "cells themselves, not about you or anything you did. Knowing what it means can "
                "make conversations with your care team easier to follow.</p>",
            ),
            (
                "paragraph",
                "<p>Roughly 15 to 20 out of every 100 breast cancers are HER2-positive, which is "
                "sometimes written HER2+. The large majority are HER2-negative. Doctors now also "
                "talk about a middle group called <i>HER2-low</i>, which can matter for some "
                "treatment choices.</p>",
            ),
            (
                "paragraph",
                "<p>HER2 status is one of several features, along with hormone receptor status, "
                "tumor size and grade, that together describe how a particular cancer is likely "
                "to behave. Your team uses it to estimate your outlook and to pick medicines that "
                "fit your cancer.</p>",
            ),
            (
                "read_more",
                {
                    "article": "understanding-her2-low-breast-cancer",
                    "text": "what a HER2-low result means",
                },
            ),
            ("heading", "What the HER2 gene does"),
            (
                "paragraph",
                "<p>HER2 is short for <i>human epidermal growth factor receptor 2</i>. You may "
                "also see it written as HER2/neu or ERBB2; these names all point to the same "
                "gene. Like every gene, it holds the instructions for building a protein, and "
                "that protein is called HER2 as well.</p>",
            ),
            (
                "paragraph",
                "<p>In healthy breast tissue, a modest amount of HER2 protein sits on the "
                "surface of each cell. When it is switched on, it relays a message inside the "
                "cell that amounts to \u201cgrow and divide now.\u201d This is a normal part of "
                "how the body renews and repairs tissue.</p>",
            ),
            (
                "paragraph",
                "<p>In HER2-positive breast cancer, the cancer cells have gained many additional "
                "copies of the HER2 gene, a change called <i>amplification</i>. With so many "
                "copies, the cells build far more HER2 protein than usual, known as "
                "<i>overexpression</i>. The growth signal gets stuck in the \u201con\u201d "
                "position, and the cells multiply faster than they should.</p>",
            ),
            (
                "callout",
                {
                    "tone": "info",
                    "title": "Not an inherited change",
                    "text": (
                        "<p>HER2 amplification happens inside the tumor cells during a person's "
                        "life. It is not passed down through families, so your relatives do not "
                        "inherit a higher risk from it. Inherited risk genes, such as BRCA1 and "
                        "BRCA2, are a separate question your team can talk through with you.</p>"
                    ),
                },
            ),
            ("heading", "How HER2 status is tested"),
            (
                "paragraph",
                "<p>Experts recommend that every newly diagnosed invasive breast cancer be tested "
                "for HER2. The test is done on tumor tissue, usually the sample taken at biopsy, "
                "and sometimes again on tissue removed during surgery. The same sample is "
                "normally checked for estrogen and progesterone receptors too.</p>",
            ),
            (
                "paragraph",
                "<p>A pathologist, a doctor who specializes in examining tissue, usually relies "
                "on one or both of these methods:</p>",
            ),
            (
                "bullet_list",
                [
                    "Immunohistochemistry (IHC): a special stain shows how much HER2 protein is "
                    "on the surface of the cancer cells. It is scored 0, 1+, 2+ or 3+, and a "
                    "score of 3+ counts as HER2-positive.",
                    "In situ hybridization, most often fluorescence in situ hybridization (FISH): "
                    "this looks inside the cells and counts copies of the HER2 gene. It is "
                    "commonly used when an IHC score of 2+ leaves the answer unclear.",
                ],
            ),
            (
                "paragraph",
                "<p>If anything in your pathology report is hard to follow, it is completely "
                "reasonable to ask your doctor to go through it with you line by line.</p>",
            ),
            (
                "read_more",
                {
                    "article": "tests-for-her2-positive-breast-cancer",
                    "text": "diagnostic tests for HER2-positive breast cancer",
                },
            ),
            ("heading", "How HER2-positive breast cancer is treated"),
            (
                "paragraph",
                "<p>Your plan will depend on the stage of the cancer, its hormone receptor "
                "status, your overall health and what matters most to you. Whatever the subtype, "
                "many people receive some mix of:</p>",
            ),
            (
                "bullet_list",
                [
                    "Surgery, either removing the tumor with a rim of healthy tissue "
                    "(lumpectomy) or removing the breast (mastectomy)",
                    "Radiation therapy, most often after surgery, to destroy cancer cells that "
                    "may remain in the area",
                    "Chemotherapy, which reaches the whole body and may be given before surgery "
                    "to shrink the tumor or afterward to lower the chance of it returning",
                    "Hormone therapy, when the cancer is also hormone receptor-positive",
                ],
            ),
            (
                "paragraph",
                "<p>What sets HER2-positive breast cancer apart is <b>HER2-targeted therapy</b>. "
                "These medicines latch on to the HER2 protein and block the growth signals it "
                "sends, or use it as a landing spot to carry treatment straight to the cancer "
                "cell. Trastuzumab and pertuzumab, antibodies often given alongside "
                "chemotherapy, are the best-known examples. Other options for particular "
                "situations include antibodies joined to a chemotherapy drug and tablets that "
                "block HER2 signals from inside the cell.</p>",
            ),
            (
                "read_more",
                {
                    "article": "targeted-treatments-for-her2-positive-breast-cancer",
                    "text": "targeted treatments for HER2-positive breast cancer",
                },
            ),
            ("heading", "What HER2 means for your outlook"),
            (
                "paragraph",
                "<p>Left untreated, HER2-positive cancers tend to grow and spread faster than "
                "HER2-negative ones, and decades ago they were among the harder breast cancers to "
                "treat. HER2-targeted medicines changed that picture a great deal. Today, many "
                "people with early-stage HER2-positive breast cancer are treated with the goal "
                "of cure.</p>",
            ),
            (
                "paragraph",
                "<p>Sometimes breast cancer comes back after the first round of treatment, which "
                "is called a recurrence. Targeted therapy lowers that risk. Your own chances also "
                "depend on things like the size of the tumor, whether cancer was found in the "
                "lymph nodes, how the cancer responded to any treatment given before surgery, and "
                "whether it is hormone receptor-positive as well.</p>",
            ),
            (
                "paragraph",
                "<p>Statistics describe large groups of people and cannot tell you what will "
                "happen to you. Your oncologist knows the details of your cancer and is the best "
                "person to explain what your results mean.</p>",
            ),
            (
                "callout",
                {
                    "tone": "tip",
                    "title": "Questions for your next appointment",
                    "text": (
                        "<p>Is my cancer HER2-positive, HER2-low or HER2-negative? Is it also "
                        "hormone receptor-positive? Which treatments do you recommend, and why? "
                        "Writing questions down ahead of time can make a visit feel less "
                        "rushed.</p>"
                    ),
                },
            ),
            (
                "citation",
                {
                    "title": "Breast Cancer HER2 Status",
                    "source": "American Cancer Society",
                    "url": (
                        "https://www.cancer.org/cancer/types/breast-cancer/"
                        "understanding-a-breast-cancer-diagnosis/breast-cancer-her2-status.html"
                    ),
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-01-15",
                },
            ),
            (
                "citation",
                {
                    "title": "Cancer Stat Facts: Female Breast Cancer Subtypes",
                    "source": "National Cancer Institute, SEER Program",
                    "url": "https://seer.cancer.gov/statfacts/html/breast-subtypes.html",
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-01-15",
                },
            ),
        ],
    },
    # ------------------------------------------------------------------------------------------
    {
        "slug": "tests-for-her2-positive-breast-cancer",
        "title": "Tests for HER2-Positive Breast Cancer",
        "summary": (
            "A walk through the lab tests that decide whether a breast cancer is HER2-positive, "
            "what the scores mean and what happens when a result is borderline."
        ),
        "author": "priya-raman",
        "reviewer": "amara-okafor",
        "topics": ["her2", "diagnosis-and-testing", "breast-cancer"],
        "posted": "2026-02-24",
        "key_takeaways": [
            "HER2 testing is done on tumor tissue from a biopsy or surgery, usually at the same "
            "time as hormone receptor testing.",
            "IHC measures HER2 protein on the cell surface; FISH and other in situ tests count "
            "copies of the HER2 gene.",
            "A borderline result is common and simply means a second test is needed to give a "
            "clear answer.",
        ],
        "body": [
            (
                "paragraph",
                "<p>Once a biopsy confirms breast cancer, the laboratory runs further tests on "
                "the tissue to learn more about it. HER2 testing is among the most important, "
                "because the answer shows whether medicines aimed at HER2 are likely to help.</p>",
            ),
            ("heading", "Where the sample comes from"),
            (
                "paragraph",
                "<p>Most HER2 tests use tissue from a <b>core needle biopsy</b>, in which a "
                "hollow needle removes a few thin strips of tissue. Tissue removed during surgery "
                "may be tested as well. If cancer comes back or spreads later, your doctor may "
                "suggest testing a sample from the new area, because HER2 status occasionally "
                "differs from the original result.</p>",
            ),
            ("heading", "Immunohistochemistry (IHC)"),
            (
                "paragraph",
                "<p>IHC uses antibodies linked to a dye that sticks to HER2 protein. Under the "
                "microscope, the pathologist looks at how strongly and how completely the outer "
                "edge of the cancer cells is stained, then gives a score:</p>",
            ),
            (
                "bullet_list",
                [
                    "0: no staining, or only faint staining in a small share of cells. This is "
                    "HER2-negative.",
                    "1+: faint, patchy staining. This is HER2-negative and is now often "
                    "described as HER2-low.",
                    "2+: weak to moderate staining all the way around the cells. This is "
                    "borderline (equivocal), so an in situ test follows.",
                    "3+: strong, complete staining in more than 10 percent of the cancer cells. "
                    "This is HER2-positive.",
                ],
            ),
            ("heading", "In situ hybridization, including FISH"),
            (
                "paragraph",
                "<p>In situ hybridization (ISH) uses labeled pieces of DNA that attach to the "
                "HER2 gene, so each copy shows up as a small dot. In <i>fluorescence</i> in situ "
                "hybridization (FISH), the dots glow under a special microscope; other versions "
                "can be read with an ordinary one. The lab compares the number of HER2 copies "
                "with a reference marker on the same chromosome to decide whether the gene is "
                "amplified.</p>",
            ),
            (
                "callout",
                {
                    "tone": "info",
                    "title": "What \u201cequivocal\u201d means",
                    "text": (
                        "<p>An equivocal or borderline result does not mean something went wrong. "
                        "It only means one test could not give a clear yes or no, so the lab "
                        "uses a second method. Now and then your team may also ask for a test on "
                        "a different sample.</p>"
                    ),
                },
            ),
            ("heading", "Getting your results"),
            (
                "paragraph",
                "<p>Your HER2 result appears in your pathology report, usually next to your "
                "estrogen receptor (ER) and progesterone receptor (PR) results. You can ask for "
                "your own copy. Bring it to your appointment and ask your doctor to explain any "
                "words or numbers you are unsure about.</p>",
            ),
            (
                "read_more",
                {
                    "article": "hormone-receptor-status-explained",
                    "text": "estrogen and progesterone receptor results",
                },
            ),
            (
                "citation",
                {
                    "title": "Breast Cancer HER2 Status",
                    "source": "American Cancer Society",
                    "url": (
                        "https://www.cancer.org/cancer/types/breast-cancer/"
                        "understanding-a-breast-cancer-diagnosis/breast-cancer-her2-status.html"
                    ),
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-01-15",
                },
            ),
            (
                "citation",
                {
                    "title": "Pathology Reports",
                    "source": "National Cancer Institute",
                    "url": (
                        "https://www.cancer.gov/about-cancer/diagnosis-staging/diagnosis/"
                        "pathology-reports-fact-sheet"
                    ),
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-01-15",
                },
            ),
        ],
    },
    # ------------------------------------------------------------------------------------------
    {
        "slug": "targeted-treatments-for-her2-positive-breast-cancer",
        "title": "Targeted Treatments for HER2-Positive Breast Cancer",
        "summary": (
            "HER2-targeted medicines have changed the outlook for HER2-positive breast cancer. "
            "Here is how the main types work, when they are used and which side effects to "
            "watch for."
        ),
        "author": "priya-raman",
        "reviewer": "rafael-mendes",
        "topics": ["her2", "treatment", "breast-cancer"],
        "posted": "2026-03-17",
        "key_takeaways": [
            "HER2-targeted medicines block the HER2 protein or use it to deliver chemotherapy "
            "directly to cancer cells.",
            "Trastuzumab and pertuzumab are often given with chemotherapy, sometimes before "
            "surgery, for early-stage HER2-positive cancer.",
            "Your team will check your heart and watch for other side effects, so report any new "
            "symptoms promptly.",
        ],
        "body": [
            (
                "paragraph",
                "<p>For HER2-positive breast cancer, the HER2 protein that drives the cancer's "
                "growth is also its weak spot. <b>Targeted therapies</b> are designed to find "
                "that protein and act on it, which spares healthy cells more than chemotherapy "
                "alone does.</p>",
            ),
            ("heading", "How HER2-targeted medicines work"),
            (
                "bullet_list",
                [
                    "Monoclonal antibodies, such as trastuzumab and pertuzumab, attach to HER2 on "
                    "the outside of the cell. They block its growth signal and help the immune "
                    "system recognize the cancer cell.",
                    "Antibody-drug conjugates, such as ado-trastuzumab emtansine (T-DM1) and "
                    "fam-trastuzumab deruxtecan, link a HER2 antibody to a chemotherapy drug so "
                    "the chemotherapy is delivered to cells that carry HER2.",
                    "Tyrosine kinase inhibitors, such as lapatinib, neratinib and tucatinib, are "
                    "tablets that interrupt HER2 signaling from inside the cell.",
                ],
            ),
            (
                "paragraph",
                "<p>Most of these are given through a vein, but some versions of trastuzumab, "
                "alone or combined with pertuzumab, can be injected under the skin. Biosimilars, "
                "which are close copies of trastuzumab, are also widely used.</p>",
            ),
            ("heading", "Treatment for early-stage cancer"),
            (
                "paragraph",
                "<p>Many people start with chemotherapy plus trastuzumab, often with pertuzumab, "
                "before surgery. This can shrink the tumor and shows how well the cancer "
                "responds. If some cancer is still found at surgery, your team may switch to a "
                "different targeted medicine afterward. In early-stage disease, HER2-targeted "
                "treatment commonly continues for about a year in total.</p>",
            ),
            ("heading", "Treatment for advanced cancer"),
            (
                "paragraph",
                "<p>When breast cancer has spread to other parts of the body, HER2-targeted "
                "therapy usually remains the backbone of treatment. If one medicine stops "
                "working, there are often others to try next, and clinical trials may offer "
                "further options.</p>",
            ),
            ("heading", "Side effects to know about"),
            (
                "bullet_list",
                [
                    "Heart: trastuzumab and related medicines can weaken the heart muscle in some "
                    "people. Heart function is usually checked before and during treatment, "
                    "often with an echocardiogram.",
                    "Lungs: some antibody-drug conjugates, especially trastuzumab deruxtecan, can "
                    "occasionally cause lung inflammation.",
                    "Digestion: tyrosine kinase inhibitors often cause diarrhea, which your team "
                    "can help you prevent and manage.",
                    "Infusion reactions: chills, fever or a rash can occur, most often with the "
                    "first dose.",
                ],
            ),
            (
                "callout",
                {
                    "tone": "warning",
                    "title": "Tell your team about new symptoms",
                    "text": (
                        "<p>Contact your care team promptly if you notice shortness of breath, a "
                        "new cough, swelling in your legs or ankles, or a racing or irregular "
                        "heartbeat. Please don't stop or change a medicine on your own; your "
                        "team can adjust treatment safely.</p>"
                    ),
                },
            ),
            (
                "read_more",
                {"article": "what-is-her2", "text": "what HER2 is and how it drives cancer"},
            ),
            (
                "citation",
                {
                    "title": "Targeted Drug Therapy for Breast Cancer",
                    "source": "American Cancer Society",
                    "url": (
                        "https://www.cancer.org/cancer/types/breast-cancer/treatment/"
                        "targeted-therapy-for-breast-cancer.html"
                    ),
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-02-20",
                },
            ),
            (
                "citation",
                {
                    "title": "Drugs Approved for Breast Cancer",
                    "source": "National Cancer Institute",
                    "url": "https://www.cancer.gov/about-cancer/treatment/drugs/breast",
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-02-20",
                },
            ),
        ],
    },
    # ------------------------------------------------------------------------------------------
    {
        "slug": "hormone-receptor-status-explained",
        "title": "Hormone Receptor Status Explained",
        "summary": (
            "Many breast cancers use estrogen or progesterone to grow. Find out how hormone "
            "receptor testing works and how the result shapes treatment."
        ),
        "author": "daniel-whitaker",
        "reviewer": "amara-okafor",
        "topics": ["hormone-receptors", "diagnosis-and-testing", "breast-cancer"],
        "posted": "2026-04-09",
        "key_takeaways": [
            "Hormone receptor-positive cancers have receptors for estrogen, progesterone or both, "
            "and these hormones can fuel their growth.",
            "About two in three breast cancers are hormone receptor-positive.",
            "A positive result means hormone therapy is likely to help, alongside any other "
            "treatment your team recommends.",
        ],
        "body": [
            (
                "paragraph",
                "<p>Along with HER2, your pathology report will say whether the cancer cells have "
                "<b>hormone receptors</b>. This is one of the most useful pieces of information "
                "your care team has when planning treatment.</p>",
            ),
            ("heading", "What hormone receptors are"),
            (
                "paragraph",
                "<p>Receptors are proteins that act like locks, and hormones are the keys that "
                "fit them. Some breast cancer cells carry receptors for estrogen (ER-positive), "
                "progesterone (PR-positive) or both. When the hormones attach, they can push the "
                "cancer cells to grow. About two out of three breast cancers are hormone "
                "receptor-positive, and this is more common after menopause.</p>",
            ),
            ("heading", "How the test is done"),
            (
                "paragraph",
                "<p>The test uses the same tumor tissue as HER2 testing and a similar staining "
                "method. The report usually gives the percentage of cancer cells that stain, and "
                "sometimes how strongly. A cancer is generally called positive when at least 1 "
                "percent of its cells have the receptor. Results in the low range deserve a "
                "conversation with your doctor, because the benefit of hormone therapy can be "
                "less certain.</p>",
            ),
            ("heading", "Putting hormone receptor and HER2 results together"),
            (
                "bullet_list",
                [
                    "HR-positive, HER2-negative: the most common combination",
                    "HR-positive, HER2-positive: treatment usually includes both hormone therapy "
                    "and HER2-targeted medicines",
                    "HR-negative, HER2-positive: HER2-targeted medicines are central to treatment",
                    "Triple-negative: no estrogen or progesterone receptors and no extra HER2, "
                    "found in roughly 10 to 15 percent of breast cancers",
                ],
            ),
            ("heading", "What it means for treatment"),
            (
                "paragraph",
                "<p>Hormone therapy either lowers the amount of estrogen in the body or stops it "
                "from reaching the cancer cells. Common options include tamoxifen and the "
                "aromatase inhibitors anastrozole, letrozole and exemestane. For early-stage "
                "cancer it is usually taken for at least five years. Cancers without hormone "
                "receptors do not respond to these medicines, so other treatments are used.</p>",
            ),
            (
                "callout",
                {
                    "tone": "info",
                    "title": "Not the same as menopausal hormone therapy",
                    "text": (
                        "<p>Hormone therapy for breast cancer works by blocking or lowering "
                        "hormones. It is quite different from hormone replacement therapy for "
                        "menopause symptoms, which adds hormones. Ask your team before starting "
                        "any product that contains hormones.</p>"
                    ),
                },
            ),
            (
                "read_more",
                {
                    "article": "tests-for-her2-positive-breast-cancer",
                    "text": "how HER2 testing works",
                },
            ),
            (
                "read_more",
                {"article": "what-is-her2", "text": "what HER2 is"},
            ),
            (
                "citation",
                {
                    "title": "Breast Cancer Hormone Receptor Status",
                    "source": "American Cancer Society",
                    "url": (
                        "https://www.cancer.org/cancer/types/breast-cancer/"
                        "understanding-a-breast-cancer-diagnosis/"
                        "breast-cancer-hormone-receptor-status.html"
                    ),
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-03-10",
                },
            ),
            (
                "citation",
                {
                    "title": "Hormone Therapy for Breast Cancer",
                    "source": "National Cancer Institute",
                    "url": "https://www.cancer.gov/types/breast/breast-hormone-therapy-fact-sheet",
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-03-10",
                },
            ),
        ],
    },
    # ------------------------------------------------------------------------------------------
    {
        "slug": "managing-fatigue-during-breast-cancer-treatment",
        "title": "Managing Fatigue During Breast Cancer Treatment",
        "summary": (
            "Cancer-related fatigue is more than ordinary tiredness. Learn what causes it, "
            "everyday ways to protect your energy and when to call your care team."
        ),
        "author": "daniel-whitaker",
        "reviewer": "rafael-mendes",
        "topics": ["side-effects", "living-with-cancer", "breast-cancer"],
        "posted": "2026-05-21",
        "key_takeaways": [
            "Fatigue is one of the most common side effects of cancer treatment, and rest alone "
            "does not always relieve it.",
            "Some causes, such as anemia, poor sleep or pain, can be treated, so tell your team "
            "how tired you feel.",
            "Gentle activity approved by your team, good sleep habits and accepting help can all "
            "make a difference.",
        ],
        "body": [
            (
                "paragraph",
                "<p>Many people going through breast cancer treatment describe a tiredness unlike "
                "anything they have felt before. Cancer-related fatigue can affect your body, "
                "your mood and your concentration, and it does not always improve after a good "
                "night's sleep. It is real, it is common and you do not have to just put up with "
                "it.</p>",
            ),
            ("heading", "Why treatment can leave you so tired"),
            (
                "paragraph",
                "<p>Fatigue often has more than one cause. Common contributors include:</p>",
            ),
            (
                "bullet_list",
                [
                    "The treatment itself, including chemotherapy, radiation, targeted therapy "
                    "and hormone therapy",
                    "A low red blood cell count (anemia)",
                    "Poor sleep, pain, or other medicines such as those for pain or nausea",
                    "Stress, anxiety or low mood",
                    "Eating or drinking less than usual",
                    "Other health conditions, such as an underactive thyroid",
                ],
            ),
            (
                "paragraph",
                "<p>Several of these can be checked and treated, which is why it helps to tell "
                "your care team how tired you are, even if it seems minor.</p>",
            ),
            ("heading", "Everyday ways to protect your energy"),
            (
                "bullet_list",
                [
                    "Plan important tasks for the times of day when you usually feel best.",
                    "Decide what matters most and let other things wait.",
                    "Say yes when people offer help with meals, errands, rides or childcare.",
                    "Take short rests during the day rather than long naps that disturb sleep.",
                    "Ask your team about gentle activity such as short walks, which research "
                    "suggests can ease fatigue.",
                    "Keep regular sleep and wake times, and eat small meals throughout the day.",
                    "Rate your energy from 0 to 10 each day so you can share patterns with your "
                    "team.",
                ],
            ),
            (
                "callout",
                {
                    "tone": "warning",
                    "title": "When to call your care team right away",
                    "text": (
                        "<p>Call promptly if your fatigue comes on suddenly or gets much worse, "
                        "or if it comes with a fever, shortness of breath, chest pain, dizziness, "
                        "fainting or confusion. During chemotherapy, a fever can be a sign of a "
                        "serious infection and needs attention the same day.</p>"
                    ),
                },
            ),
            ("heading", "After treatment ends"),
            (
                "paragraph",
                "<p>Fatigue can last for weeks or months after treatment finishes, and it "
                "usually improves slowly. If it is still getting in the way of daily life, ask "
                "about survivorship clinics or rehabilitation programs, which can offer tailored "
                "support.</p>",
            ),
            (
                "read_more",
                {
                    "article": "talking-with-your-care-team-about-a-new-diagnosis",
                    "text": "getting the most from conversations with your care team",
                },
            ),
            (
                "citation",
                {
                    "title": "Fatigue and Cancer Treatment",
                    "source": "National Cancer Institute",
                    "url": "https://www.cancer.gov/about-cancer/treatment/side-effects/fatigue",
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-04-28",
                },
            ),
            (
                "citation",
                {
                    "title": "Fatigue",
                    "source": "American Cancer Society",
                    "url": (
                        "https://www.cancer.org/cancer/managing-cancer/side-effects/fatigue.html"
                    ),
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-04-28",
                },
            ),
        ],
    },
    # ------------------------------------------------------------------------------------------
    {
        "slug": "talking-with-your-care-team-about-a-new-diagnosis",
        "title": "Talking With Your Care Team About a New Diagnosis",
        "summary": (
            "The first appointments after a breast cancer diagnosis can feel overwhelming. These "
            "tips and questions can help you understand your options and feel more in control."
        ),
        "author": "daniel-whitaker",
        "reviewer": "amara-okafor",
        "topics": ["living-with-cancer", "breast-cancer"],
        "posted": "2026-06-30",
        "key_takeaways": [
            "It is normal not to take everything in at the first appointment; you can always ask "
            "again.",
            "Bringing written questions and a trusted companion can help you remember what was "
            "said.",
            "Asking about your cancer type, test results and treatment goals helps you take part "
            "in decisions.",
        ],
        "body": [
            (
                "paragraph",
                "<p>Hearing the words \u201cbreast cancer\u201d can make the rest of a "
                "conversation blur. Many people leave their first appointments remembering very "
                "little of what was said. That is a normal reaction, and there are simple ways "
                "to make the next conversations easier.</p>",
            ),
            ("heading", "Who is on your care team"),
            (
                "bullet_list",
                [
                    "A breast surgeon, who removes the tumor and checks the lymph nodes",
                    "A medical oncologist, who leads treatment with medicines such as "
                    "chemotherapy, targeted therapy and hormone therapy",
                    "A radiation oncologist, if radiation is part of your plan",
                    "Oncology nurses and often a nurse navigator, who can help coordinate "
                    "appointments",
                    "Supportive specialists such as social workers, dietitians and genetic "
                    "counselors",
                ],
            ),
            ("heading", "Getting ready for an appointment"),
            (
                "bullet_list",
                [
                    "Write down your questions, with the most important ones first.",
                    "Bring a family member or friend to listen and take notes.",
                    "Ask whether you may record the conversation.",
                    "Bring a list of all your medicines and supplements.",
                    "Ask for copies of your pathology and imaging reports.",
                ],
            ),
            ("heading", "Questions you might ask"),
            (
                "bullet_list",
                [
                    "What type of breast cancer do I have, and what is its stage?",
                    "What are my HER2 and hormone receptor results?",
                    "What is the goal of treatment, and what options do I have?",
                    "What are the likely benefits and side effects of each option?",
                    "How might treatment affect my work, family life or fertility?",
                    "Is there a clinical trial that might suit me?",
                    "Who should I call with questions, including evenings and weekends?",
                ],
            ),
            (
                "callout",
                {
                    "tone": "tip",
                    "title": "It's fine to ask again",
                    "text": (
                        "<p>If an explanation doesn't make sense, say so. Asking a doctor to "
                        "repeat something, draw a picture or write it down is part of good care. "
                        "Many people also get a second opinion before starting treatment, and "
                        "most doctors are glad to help arrange one.</p>"
                    ),
                },
            ),
            ("heading", "Looking after yourself"),
            (
                "paragraph",
                "<p>A new diagnosis affects feelings as well as the body. Your team can put you "
                "in touch with counselors, social workers and support groups, and can help with "
                "practical worries such as costs, transport and time off work.</p>",
            ),
            (
                "read_more",
                {"article": "what-is-her2", "text": "understanding your HER2 result"},
            ),
            (
                "read_more",
                {
                    "article": "hormone-receptor-status-explained",
                    "text": "understanding your hormone receptor result",
                },
            ),
            (
                "citation",
                {
                    "title": "Questions to Ask About Breast Cancer",
                    "source": "American Cancer Society",
                    "url": (
                        "https://www.cancer.org/cancer/types/breast-cancer/"
                        "understanding-a-breast-cancer-diagnosis/"
                        "questions-to-ask-your-doctor-about-breast-cancer.html"
                    ),
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-06-02",
                },
            ),
            (
                "citation",
                {
                    "title": "Breast Cancer Treatment (PDQ\u00ae): Patient Version",
                    "source": "National Cancer Institute",
                    "url": "https://www.cancer.gov/types/breast/patient/breast-treatment-pdq",
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-06-02",
                },
            ),
        ],
    },
    # ------------------------------------------------------------------------------------------
    {
        "slug": "understanding-her2-low-breast-cancer",
        "title": "Understanding HER2-Low Breast Cancer",
        "summary": (
            "HER2-low describes cancers with some HER2 protein, but not enough to count as "
            "HER2-positive. Here is what the label means and when it can affect treatment."
        ),
        "author": "priya-raman",
        "reviewer": "rafael-mendes",
        "topics": ["her2", "breast-cancer", "treatment"],
        "posted": "2026-08-12",
        "key_takeaways": [
            "HER2-low means an IHC score of 1+, or 2+ with a negative in situ test.",
            "Many breast cancers once simply called HER2-negative fall into this group.",
            "The label mainly matters for advanced cancer, where it can open up an additional "
            "treatment option.",
        ],
        "body": [
            (
                "paragraph",
                "<p>For many years, HER2 results were described in only two ways: positive or "
                "negative. Research has since shown that some cancers in the negative group "
                "still carry a modest amount of HER2 protein. Doctors now call these cancers "
                "<b>HER2-low</b>.</p>",
            ),
            ("heading", "What HER2-low means"),
            (
                "paragraph",
                "<p>A cancer is described as HER2-low when its immunohistochemistry (IHC) score "
                "is 1+, or when it scores 2+ and an in situ hybridization test shows the gene is "
                "not amplified. By many estimates, around half of all breast cancers fit this "
                "description, and most of them are also hormone receptor-positive. Before the "
                "term came into use, these cancers were simply grouped with HER2-negative "
                "ones.</p>",
            ),
            ("heading", "Why the label matters"),
            (
                "paragraph",
                "<p>Classic HER2-targeted antibodies such as trastuzumab have not been shown to "
                "help HER2-low cancers. However, an antibody-drug conjugate called "
                "fam-trastuzumab deruxtecan is approved for some people with HER2-low breast "
                "cancer that has spread or cannot be removed with surgery, usually after other "
                "treatments. Whether it suits you depends on your hormone receptor status, the "
                "treatments you have already had and your overall health. Research into HER2-low "
                "cancer is moving quickly.</p>",
            ),
            (
                "callout",
                {
                    "tone": "info",
                    "title": "A test result, not a new disease",
                    "text": (
                        "<p>HER2-low describes how much HER2 the cancer cells carry. It is not "
                        "a separate type of breast cancer, and for early-stage cancer it does "
                        "not usually change the treatment plan. Your oncologist can tell you "
                        "whether it matters in your situation.</p>"
                    ),
                },
            ),
            ("heading", "Can HER2 status change?"),
            (
                "paragraph",
                "<p>HER2 levels can vary between different parts of a tumor and over time. If "
                "cancer spreads, your team may test a new biopsy or look again at earlier "
                "samples. It can help to ask for the exact IHC score, not just the words "
                "\u201cpositive\u201d or \u201cnegative.\u201d</p>",
            ),
            (
                "bullet_list",
                [
                    "What was my exact IHC score?",
                    "Was an in situ hybridization test done, and what did it show?",
                    "Does a HER2-low result change anything for me now or in the future?",
                ],
            ),
            (
                "paragraph",
                "<p>Your oncologist or breast care nurse is the best person to explain what your "
                "own HER2 result means and whether it affects your choices.</p>",
            ),
            (
                "read_more",
                {
                    "article": "tests-for-her2-positive-breast-cancer",
                    "text": "how HER2 tests are scored",
                },
            ),
            (
                "read_more",
                {
                    "article": "targeted-treatments-for-her2-positive-breast-cancer",
                    "text": "HER2-targeted medicines and how they work",
                },
            ),
            (
                "citation",
                {
                    "title": "Breast Cancer HER2 Status",
                    "source": "American Cancer Society",
                    "url": (
                        "https://www.cancer.org/cancer/types/breast-cancer/"
                        "understanding-a-breast-cancer-diagnosis/breast-cancer-her2-status.html"
                    ),
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-07-20",
                },
            ),
            (
                "citation",
                {
                    "title": "Drugs Approved for Breast Cancer",
                    "source": "National Cancer Institute",
                    "url": "https://www.cancer.gov/about-cancer/treatment/drugs/breast",
                    "doi": "",
                    "pubmed_id": "",
                    "accessed": "2026-07-20",
                },
            ),
        ],
    },
]
