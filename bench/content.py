"""Demo articles for the benchmark, written for it and varied by a seeded generator.

Each article has the shape of a patient-education piece: a title, a teaser,
three key takeaways and a body of 10 to 15 blocks (about 1,000 words) with
section headings, paragraphs, a bullet list, a callout, citations and a
"read more" link to another article. The text is generic, conservative and
always sends the reader back to their care team; it is filler with the right
shape and size, not medical advice.
"""

import random

from django.utils.text import slugify

TOPICS = [
    "Breast cancer",
    "Lung health",
    "Heart health",
    "Diabetes",
    "Kidney health",
    "Sleep",
    "Nutrition",
    "Mental health",
    "Pain management",
    "Clinical trials",
    "Side effects",
    "Diagnosis and testing",
    "Treatment",
    "Caregiving",
    "Exercise",
    "Skin health",
    "Digestive health",
    "Bone health",
    "Immunology",
    "Genetics",
    "Medications",
    "Women's health",
    "Men's health",
    "Healthy ageing",
]

AUTHORS = [
    ("Noor Haddad", "covers screening and early detection"),
    ("Tomasz Wilk", "writes about treatment choices and what they involve"),
    ("Grace Adeyemi", "explains test results and the words doctors use"),
    ("Lena Fischer", "writes for caregivers and families"),
    ("Mateo Ruiz", "covers nutrition, movement and recovery"),
    ("Aiko Tanaka", "writes about living well with a long-term condition"),
    ("Samuel Osei", "covers clinical research for general readers"),
    ("Ines Duarte", "writes about medicines and how to take them safely"),
    ("Owen Gallagher", "covers mental health alongside physical illness"),
    ("Priyanka Shah", "writes about appointments, questions and second opinions"),
    ("Jonas Berg", "covers sleep, fatigue and energy"),
    ("Hana Novak", "writes about symptoms worth reporting"),
]

REVIEWERS = [
    ("Elena Petrova", "M.D.", "Medical oncology", "Riverside University Hospital"),
    ("Kwame Mensah", "M.D.", "Cardiology", "Harbour Heart Centre"),
    ("Sofia Lindqvist", "M.D.", "Endocrinology", "Northgate Clinic"),
    ("Arjun Nair", "M.D.", "Internal medicine", "Westbrook Medical Group"),
    ("Claire Dubois", "Pharm.D.", "Clinical pharmacy", "Valley Regional Hospital"),
    ("Yusuf Karim", "M.D.", "Nephrology", "Eastfield Kidney Institute"),
]

# Words a condition name is drawn from; the benchmark searches for some of them.
CONDITIONS = [
    "anaemia",
    "arrhythmia",
    "asthma",
    "bronchitis",
    "cataracts",
    "dermatitis",
    "gastritis",
    "glaucoma",
    "gout",
    "hypertension",
    "hypothyroidism",
    "insomnia",
    "lymphoedema",
    "migraine",
    "neuropathy",
    "osteoporosis",
    "psoriasis",
    "sciatica",
    "shingles",
    "tinnitus",
]
SEARCH_WORDS = ["glaucoma", "migraine", "neuropathy", "psoriasis", "tinnitus"]

ANGLES = [
    "What to Expect at Your First Appointment",
    "Questions to Ask Your Care Team",
    "Understanding Your Test Results",
    "Everyday Habits That Can Help",
    "How Treatment Usually Works",
    "Side Effects and How to Manage Them",
    "When to Call Your Doctor",
    "A Guide for Family and Friends",
    "Myths and Facts",
    "Planning for the Months Ahead",
]

TESTS = [
    "a blood test",
    "an imaging scan",
    "a physical examination",
    "a short questionnaire",
    "a biopsy",
    "a urine test",
    "a breathing test",
    "a heart tracing",
]
TREATMENTS = [
    "a daily tablet",
    "a course of physiotherapy",
    "a change in diet",
    "a short course of medicine",
    "a minor procedure",
    "regular monitoring",
    "a structured exercise plan",
    "talking therapy",
]
SYMPTOMS = [
    "tiredness",
    "aching joints",
    "poor sleep",
    "headaches",
    "a change in appetite",
    "shortness of breath",
    "itching",
    "low mood",
]
PROFESSIONALS = ["your doctor", "a specialist nurse", "your pharmacist", "your care team"]
TIMEFRAMES = ["a few days", "two or three weeks", "a month or so", "several months"]

SENTENCES = [
    "Many people first hear the word {condition} during a routine visit, and it is normal "
    "to feel unsure about what it means.",
    "{Condition} affects people in different ways, so your own experience may not match "
    "what a friend or relative went through.",
    "The first step is usually {test}, which helps {professional} see what is going on.",
    "Results often arrive within {timeframe}, and it is fine to ask how you will hear about them.",
    "Some people notice {symptom} long before anyone mentions {condition}.",
    "Keeping a simple diary of {symptom} and when it happens can make appointments more useful.",
    "Treatment might begin with {treatment}, and plans are often adjusted as you go.",
    "It can take {timeframe} before you notice a difference, so patience matters.",
    "Write down your questions before each visit, because it is easy to forget them once "
    "you are in the room.",
    "Bringing someone you trust to appointments can help you remember what was said.",
    "If something in your plan does not suit your daily life, say so: there is usually "
    "more than one reasonable option.",
    "Tell {professional} about every medicine you take, including remedies bought without "
    "a prescription.",
    "Small changes, such as regular meals and a steady bedtime, can make symptoms easier "
    "to live with.",
    "Gentle movement most days is good for the body and the mind, even when energy is low.",
    "Support groups, in person or online, let you hear from people who have been in a "
    "similar place.",
    "Researchers continue to study {condition}, and new findings are shared with clinics "
    "over time.",
    "Guidelines change as evidence grows, which is why advice can differ from what you "
    "read a few years ago.",
    "If {symptom} gets suddenly worse, contact {professional} rather than waiting for the "
    "next appointment.",
    "Costs and travel can be a real burden, and many clinics have staff who can help with both.",
    "It is common to feel worried or low, and those feelings deserve attention too.",
    "Ask what each test is for and what the next step will be once the result is in.",
    "Follow-up visits are a chance to review how things are going and to change the plan "
    "if needed.",
    "Some people find that {treatment} fits easily into their routine, while others need "
    "time to adjust.",
    "A second opinion is a normal request, and most doctors are comfortable with it.",
    "Reliable information comes from sources that name their reviewers and date their updates.",
    "Your care team knows your history, so their advice should carry more weight than "
    "general articles like this one.",
]

HEADINGS = [
    "What {condition} means",
    "How {condition} is found",
    "Tests you may be offered",
    "Treatment options",
    "Living day to day",
    "Looking after your wellbeing",
    "When to get help quickly",
    "Talking with your care team",
    "Support for families",
    "What research is telling us",
]

CALLOUT_TITLES = ["Good to know", "Before your appointment", "A practical tip", "Safety first"]

SOURCES = [
    "Journal of Patient Education",
    "National Health Information Service",
    "International Review of Clinical Practice",
    "Primary Care Quarterly",
    "Community Medicine Reports",
]


class ArticleText:
    """One article's generated text; `rng` decides every choice, so runs repeat exactly."""

    def __init__(self, *, number, rng):
        self.number = number
        self.rng = rng
        self.condition = rng.choice(CONDITIONS)
        self.angle = rng.choice(ANGLES)
        self.title = f"{self.condition.capitalize()}: {self.angle}"
        self.slug = f"{slugify(self.title)}-{number}"

    def _fill(self, template):
        rng = self.rng
        values = {
            "condition": self.condition,
            "Condition": self.condition.capitalize(),
            "test": rng.choice(TESTS),
            "treatment": rng.choice(TREATMENTS),
            "symptom": rng.choice(SYMPTOMS),
            "professional": rng.choice(PROFESSIONALS),
            "timeframe": rng.choice(TIMEFRAMES),
        }
        text = template.format(**values)
        return text[0].upper() + text[1:]

    def sentences(self, count):
        return " ".join(self._fill(template) for template in self.rng.sample(SENTENCES, count))

    def paragraph(self, count, *, link_to=None):
        text = self.sentences(count)
        if link_to is not None:
            page_id, label = link_to
            text += f' You may also find <a linktype="page" id="{page_id}">{label}</a> useful.'
        return f"<p>{text}</p>"

    @property
    def summary(self):
        return self._fill(
            "A plain-language guide to {condition}: what it is, how it is usually found "
            "and treated, and what to ask {professional}."
        )

    @property
    def key_takeaways(self):
        return [
            {"type": "takeaway", "value": self._fill(template)}
            for template in (
                "{Condition} is often found with {test}, and results guide the next step.",
                "Treatment usually starts with {treatment} and is reviewed over time.",
                "Report {symptom} that is new or worsening to {professional}.",
            )
        ]

    def body(self, *, read_more=None):
        """10 to 15 blocks, about 1,000 words. `read_more` is ``(page_id, title)`` or None."""
        rng = self.rng
        headings = [self._fill(h) for h in rng.sample(HEADINGS, 3)]
        blocks = [
            ("paragraph", self.paragraph(8)),
            ("paragraph", self.paragraph(7)),
            ("heading", headings[0]),
            ("paragraph", self.paragraph(8)),
            (
                "bullet_list",
                [{"type": "item", "value": self.sentences(1)} for _ in range(rng.randint(3, 5))],
            ),
        ]
        if read_more is not None:
            page_id, title = read_more
            blocks.append(("read_more", {"article": page_id, "text": f"more on {title}"}))
        blocks += [
            ("heading", headings[1]),
            ("paragraph", self.paragraph(8, link_to=read_more)),
            (
                "callout",
                {
                    "tone": rng.choice(["info", "tip", "warning"]),
                    "title": rng.choice(CALLOUT_TITLES),
                    "text": self.paragraph(3),
                },
            ),
            ("heading", headings[2]),
            ("paragraph", self.paragraph(8)),
        ]
        for _ in range(rng.randint(1, 2)):
            blocks.append(("paragraph", self.paragraph(rng.randint(5, 7))))
        for index in range(rng.randint(1, 2)):
            blocks.append(("citation", self._citation(index)))
        return [{"type": block_type, "value": value} for block_type, value in blocks]

    def _citation(self, index):
        rng = self.rng
        year = rng.randint(2015, 2025)
        return {
            "title": f"Patient outcomes in {self.condition}: a review ({year})",
            "source": rng.choice(SOURCES),
            "url": f"https://example.org/reviews/{self.slug}/{index + 1}",
            "doi": f"10.5555/bench.{self.number}.{index + 1}",
            "pubmed_id": "",
            "accessed": f"{year + 1}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        }


def article_text(number, *, seed=0):
    """The text of benchmark article `number` (the same for the same number and seed)."""
    return ArticleText(number=number, rng=random.Random(f"{seed}:{number}"))


def person_bio(name, about):
    return (
        f"{name} {about}. Their articles are reviewed by practising clinicians before they "
        "are published, and they welcome corrections from readers."
    )
