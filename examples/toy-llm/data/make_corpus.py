#!/usr/bin/python3
"""Write corpus.txt: an invented, public-domain chronicle of a river valley.

Every sentence is assembled from the small grammar below with a fixed-seed
generator, so the file is reproducible byte for byte:

    /usr/bin/python3 make_corpus.py            # writes corpus.txt beside this file

The text has enough regularity (recurring names, phrases, seasons) for a tiny
character model to learn something, and enough variety (made-up names, free
combinations of clauses) that it cannot simply memorise it.
Written for this project and released into the public domain (CC0).
"""
import os
import random

SEED = 20240601
TARGET_BYTES = 330_000

ONSETS = ["b", "br", "c", "d", "dr", "f", "g", "gr", "h", "j", "k", "l", "m", "n", "p",
          "r", "s", "st", "t", "th", "v", "w", "z", "sh", "ch", "tr"]
VOWELS = ["a", "e", "i", "o", "u", "ae", "ei", "ou", "y", "io"]
CODAS = ["", "", "n", "r", "l", "s", "th", "m", "nd", "rk", "ck", "st", "x"]

TRADES = ["miller", "ferryman", "weaver", "smith", "baker", "shepherd", "potter", "carpenter",
          "fisher", "teacher", "brewer", "cooper", "healer", "mason", "tanner", "chandler",
          "thatcher", "glazier", "roper", "dyer", "clerk", "bell ringer", "lock keeper", "gardener"]
NOUNS = ["mill", "bridge", "market", "granary", "landing", "orchard", "hill", "road", "meadow",
         "school", "harbour", "wood", "barn", "quay", "fold", "well", "ford", "tower", "lane",
         "pasture", "weir", "common", "chapel", "inn", "forge", "sluice", "causeway", "spinney"]
PLACE_ADJ = ["old", "north", "lower", "upper", "salt", "stone", "long", "east", "west", "high",
             "new", "broken", "green", "black", "hollow", "willow", "cold", "little", "bell"]
WEATHER = ["a cold rain fell", "the wind turned to the east", "a thick fog lay on the water",
           "the sun was warm on the stones", "snow covered the hills", "the river rose high",
           "the air was still and dry", "a storm came over the ridge", "frost silvered the fields",
           "a light mist hung over the meadow", "hail broke the young shoots",
           "the nights were long and clear", "the ice on the weir cracked at noon",
           "thunder rolled all afternoon", "the wells ran low", "the swallows came back early"]
GOODS = ["flour", "wool", "salt", "apples", "cheese", "timber", "barley", "honey", "rope",
         "candles", "nails", "linen", "pears", "oats", "fish", "leather", "wax", "plums",
         "turnips", "cider", "peat", "slate", "hay", "eggs", "butter", "iron", "dyes", "reeds"]
ADJ = ["quiet", "busy", "patient", "stubborn", "cheerful", "careful", "restless", "gentle",
       "proud", "tired", "curious", "honest", "clever", "kind", "young", "elderly", "sharp",
       "lazy", "bold", "nervous", "generous", "grim", "talkative", "thrifty", "absent minded"]
VERBS = ["carried", "sold", "mended", "counted", "stored", "traded", "weighed", "brought",
         "loaded", "gathered", "packed", "dried", "hid", "lost", "found", "bought", "ground",
         "salted", "stacked", "shipped", "guarded", "borrowed", "returned", "spoiled"]
ANIMALS = ["the grey horse", "a flock of geese", "the dog", "two black goats", "a heron",
           "the old ox", "a pair of swans", "the brown cow", "a fox", "the crows", "an otter",
           "a young hare", "the ferry cat", "three pigs", "a stray mule", "the bees", "an owl"]
THINGS = ["the water wheel", "the bell", "the gate", "the roof", "the boat", "the cart",
          "the fence", "the lantern", "the loom", "the oven", "the chimney", "the anvil",
          "the ledger", "the sluice gate", "the weather vane", "the ladder", "the net", "the kiln"]
FEELINGS = ["laughed", "grumbled", "sighed", "said nothing", "shook their head", "smiled",
            "swore quietly", "wrote it down", "went home early", "made tea", "sang"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SEASONS = ["spring", "summer", "autumn", "winter"]
SAYINGS = ["A full barn is a quiet heart.", "The river keeps no promises.",
           "Count the sacks before you count the coins.", "Rain in May, bread in May.",
           "A mended net catches more than a new one.", "Slow oxen plough straight furrows.",
           "Who waits for the ferry learns the weather.", "Salt and patience keep all winter.",
           "Never lend a ladder in October.", "The mill wheel turns for the one who oils it."]

CLAUSES = [
    "{name} the {trade} {verb} {num} {unit} of {good} to {place}",
    "{name} {verb} {good} at {place}",
    "{animal} stood by {place} and would not move",
    "{name} and {name2} {verb} {good} before the evening bell",
    "the price of {good} rose to {num} pennies",
    "{name} repaired {thing} while {animal} watched",
    "there were {num} {unit} of {good} in {place}",
    "{name} asked {name2} whether {thing} would last another {season}",
    "the {adj} {trade} {verb} {good} for the widow at {place}",
    "nobody remembered who first built {thing} at {place}",
    "{animal} crossed {place} at dawn",
    "{name} {feeling}",
    "{name2} was the {adj} {trade} who kept {thing} at {place}",
    "the {trade} from {place} owed {name} {num} pennies",
    "{weather}",
]
OPENERS = ["In {month}", "That {season}", "On the {ordinal} day of {month}", "Years later",
           "In the year {year}", "The next morning", "Before the fair", "After the flood",
           "When {weather}", "Every {season}"]
JOINERS = [", and ", ", but ", " because ", " while ", ", so ", " until ", "; then "]
UNITS = ["sacks", "barrels", "bales", "baskets", "loads", "crates", "jars"]
ORDINALS = ["first", "second", "third", "fourth", "fifth", "tenth", "twelfth", "last"]


def make_names(rng, count):
    """Invented given names built from syllables, capitalised."""
    names = set()
    while len(names) < count:
        syllables = rng.randint(1, 3)
        word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables))
        names.add((word + rng.choice(CODAS)).capitalize())
    return sorted(names)


def fill(rng, names, template):
    """Fill one template with words drawn from rng."""
    name, name2 = rng.sample(names, 2)
    words = {
        "name": name, "name2": name2, "trade": rng.choice(TRADES),
        "place": f"the {rng.choice(PLACE_ADJ)} {rng.choice(NOUNS)}",
        "season": rng.choice(SEASONS), "month": rng.choice(MONTHS),
        "weather": rng.choice(WEATHER), "good": rng.choice(GOODS), "adj": rng.choice(ADJ),
        "verb": rng.choice(VERBS), "animal": rng.choice(ANIMALS), "thing": rng.choice(THINGS),
        "feeling": rng.choice(FEELINGS), "unit": rng.choice(UNITS),
        "ordinal": rng.choice(ORDINALS), "num": str(rng.randint(2, 99)),
        "year": str(rng.randint(1701, 1899)),
    }
    return template.format(**words)


def sentence(rng, names):
    """One sentence: optional opener, one to three clauses, a full stop (or a saying)."""
    if rng.random() < 0.04:
        return rng.choice(SAYINGS)
    text = fill(rng, names, rng.choice(CLAUSES))
    for _ in range(rng.choice([0, 0, 1, 1, 2])):
        text += rng.choice(JOINERS) + fill(rng, names, rng.choice(CLAUSES))
    if rng.random() < 0.4:
        text = fill(rng, names, rng.choice(OPENERS)) + ", " + text
    return text[0].upper() + text[1:] + rng.choice([".", ".", ".", ".", "!", "?"] if "whether" not in text else ["."])


def make_text(rng, target_bytes):
    """Return chapters of paragraphs until target_bytes is reached."""
    names = make_names(rng, 300)
    parts, size, chapter = [], 0, 1
    while size < target_bytes:
        if rng.random() < 0.06:
            part = f"Chapter {chapter}. The {rng.choice(SEASONS)} of the {rng.choice(TRADES)}.\n\n"
            chapter += 1
        else:
            part = " ".join(sentence(rng, names) for _ in range(rng.randint(2, 6))) + "\n\n"
        parts.append(part)
        size += len(part)
    return "".join(parts)


def main():
    rng = random.Random(SEED)
    text = make_text(rng, TARGET_BYTES)
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus.txt")
    with open(path, "w", encoding="ascii", newline="\n") as handle:
        handle.write(text)
    print(f"wrote {len(text)} characters to {path}")


if __name__ == "__main__":
    main()
