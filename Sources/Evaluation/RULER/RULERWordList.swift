/// The words RULER draws keys and word lists from. RULER uses the `wonderwords` package's noun, adjective and verb
/// lists (and a large English word list past their size); we ship this list instead, written for this project:
/// everyday English words, lowercase letters only. NIAH keys are "adjective-noun" pairs as in RULER
/// (about 440 x 690 of them); cwe samples words from all three lists.
enum RULERWordList {
    static let adjectives: [String] = split("""
        able absent abstract academic active actual acute adorable adult afraid agile alert alive alpine amber ample
        ancient angry annual anxious apparent arctic arid aromatic artistic ashamed asleep atomic automatic average
        awake aware awful awkward basic bitter blank bland blind blond bloody blue blunt bold bored boring bouncy
        brave brief bright brilliant brisk broad broken bronze brown bumpy busy calm capable careful careless casual
        central certain cheap cheerful chemical chief chilly chubby civil classic clean clear clever close cloudy
        clumsy coastal cold colorful comfortable common compact complete complex concrete confident constant cool
        copper correct cosmic costly cozy crazy creamy creative crisp crooked crowded cruel crunchy cuddly curious
        curly cute daily damp dark dear decent deep delicate dense direct dirty distant divine dizzy double dramatic
        dry dull dusty eager early earnest easy elastic electric elegant empty endless enormous entire equal eternal
        even exact excellent exotic expert faint fair faithful famous fancy fast fatal fearless federal fierce final
        fine firm fiscal flat flexible fluffy foggy foolish formal fragile frank free frequent fresh friendly frozen
        frugal full funny fuzzy gentle genuine giant gifted glad global glossy golden good graceful grand grateful
        gray great greedy green grim gritty gross guilty hairy handsome handy happy hard harsh hasty healthy heavy
        helpful hidden high hollow holy honest hopeful horrible hostile huge humble humid hungry icy ideal idle
        immense impartial inner innocent intense invisible jolly joyful juicy junior keen kind large lasting late
        lazy lean legal level liquid little lively local lofty lonely long loose loud lovely loyal lucky lunar
        magnetic main major marine massive mature meager medical mellow mental merry messy mighty mild minor misty
        modern modest moist moral muddy mutual narrow nasty native natural naughty neat needy nervous neutral new
        nice nimble noble noisy normal nervy novel numb obvious odd old open optimal orange ordinary organic oval
        pale patient peaceful perfect petite plain pleasant plump polar polite poor popular precious pretty prime
        private proud public pure purple quick quiet radiant rainy rapid rare raw ready real regular remote rich
        rigid ripe robust rocky rosy rough round royal rural rusty sacred sad safe salty scarce secret secure
        serene severe shaggy shallow sharp shiny short shy silent silky silly simple sleepy slim slow small smart
        smooth snowy soft solar solid sour spare special spicy splendid square stable stale steady steep sticky
        stiff stormy strange strict strong sturdy subtle sudden sunny super sweet swift tall tame tender tense
        thick thin thirsty tidy tight tiny tired total tough tropical true twin typical ugly unique upper urban
        useful vacant vague valid vast velvet violet visible vital vivid warm weak wealthy weary wet white whole
        wide wild windy wise witty wooden woolly worried young zealous
        """)

    static let nouns: [String] = split("""
        abbey acorn actor adapter advice agency airport album alley almond altar amount anchor angle ankle answer
        antenna apartment apple apron arcade archive arena argument armchair arrow artist ash atlas attic auction
        author avenue award axle badge bagel baker balcony ball balloon bamboo banana band banjo bank banner barn
        barrel basket bath battery beach beacon bean bear beard bed bee beetle bell belt bench berry bicycle bird
        biscuit blanket blender blossom board boat bonnet book boot bottle boulder bowl box bracelet branch bread
        brick bridge broom brush bubble bucket budget buffalo bug building bulb bundle bunny butter button cabin
        cabinet cable cactus cafe cake calendar camel camera camp canal candle candy cannon canoe canyon cap captain
        car card carpet carrot cart castle cat cathedral cave ceiling cellar cello chain chair chalk channel chapel
        chapter charm chart cheese chef cherry chess chest chicken chimney chip chocolate church cider cinema circle
        circus city clam clay cliff clock cloud clover club coach coast coat cobweb coconut coffee coin collar
        comet compass computer cookie copper coral corner cottage cotton couch country cousin cradle crane crater
        crayon cream creek crib cricket crow crown crystal cup cupboard curtain cushion cycle daisy dancer dawn
        deer delta desert desk diamond diary dinner dish doctor dog doll dolphin donkey door dove dragon drawer
        dream dress drum duck dune eagle ear easel echo egg elbow elephant elevator elm engine envelope eraser
        estate falcon farm feather fence fern ferry festival field fig finger fire fish flag flame flask fleet
        flower flute fog folder forest fork fort fossil fountain fox frame friend frog fruit funnel furnace gadget
        galaxy garage garden garlic gate gem geyser ghost giraffe glacier glass glove goat gondola goose gorilla
        gown grain grape grass gravel guitar gull hammer hammock hamster hand harbor harp hat hawk hazel heart
        hedge helmet hen herb heron hill hive hobby honey hook horizon horn horse hospital hotel house hut iceberg
        igloo inch ink insect island ivory ivy jacket jaguar jam jar jeans jelly jewel journal judge juice jungle
        kangaroo kayak kettle key kingdom kitchen kite kitten knee knife knot koala label ladder ladle lagoon lake
        lamb lamp lantern laptop lark laundry lawn leaf lemon lens leopard letter library lily lime lion lizard
        llama lobster locket lodge log lotus lunch magnet mailbox mango map maple marble market mask meadow melon
        menu mermaid meteor microscope mill mirror mitten monastery monkey moon moose moss motel mountain mouse
        muffin mug museum mushroom music napkin necklace needle nest net newspaper nickel noodle notebook novel nut
        oak oar oasis ocean octopus office olive onion opera orange orbit orchard orchestra organ ostrich otter
        oven owl ox oyster paddle page pagoda pail paint palace palm pan panda pantry paper parade parcel park
        parrot passport pasta path peach peacock peanut pear pebble pedal pelican pen pencil penguin pepper piano
        pickle picnic pie pier pig pigeon pillow pilot pine pipe pirate pizza planet plank plate platform plum
        pocket poem pond pony poppy porch portrait post pot potato pottery prairie prism puddle pumpkin puppet
        puppy puzzle pyramid quarry queen quilt rabbit raccoon radio raft rail rainbow raisin rake ranch raven
        reef ribbon rice riddle ring river road robe robin rocket roof room rope rose rug ruler saddle sail salad
        salmon sand sandal satellite saucer scarf school scissors scooter seal season seed shadow shark shed sheep
        shelf shell ship shirt shoe shovel shrimp silk singer sink skate skirt sled sleeve slipper snail snake
        soap sock sofa soup spider spinach sponge spoon spring squash squirrel stable stadium stage staircase
        stamp star station statue steam stone stool storm stove strawberry stream street string studio submarine
        suitcase summit sun sunflower swamp swan sweater swing sword table tablet tail tank teacher teapot
        telescope temple tent theater thimble thread throne thunder ticket tiger timber toast toaster tomato tongue
        tool torch tortoise towel tower town toy tractor trail train tray treasure tree tribe trombone trophy truck
        trumpet trunk tulip tunnel turkey turtle umbrella unicorn universe valley vase vault vegetable velvet vessel
        village vine violin volcano wagon waiter wall wallet walnut walrus wand wardrobe warehouse wasp watch
        waterfall wave wheat wheel whistle willow window wing winter wizard wolf wool workshop worm wreath yacht
        yard yarn zebra zipper
        """)

    static let verbs: [String] = split("""
        accept achieve acquire adapt add adjust admire admit adopt advise afford agree allow announce appear apply
        approve argue arrange arrive ask assemble assist attach attend avoid bake balance bathe battle beg behave
        believe belong bend bind blink boast boil borrow bounce bow breathe brew bring build burn bury calculate
        call carry carve catch celebrate change charge chase cheer chew choose circle claim clap climb collect
        comb compare compete complain confess connect consider contain continue copy count cover crack crawl create
        cross crush cry cure dance dare deliver depend describe deserve design destroy develop dig discover dive
        divide drag drain draw drift drink drive drop dust earn educate embrace employ enjoy enter escape examine
        exchange excite exist expand explain explore extend fade fasten fetch fill find fix flap float flood flow
        fly fold follow forgive freeze frighten gather glow grab grin grip grow guard guess guide hang happen
        harvest hatch heal hear help hide hike hold hop hover hug hum hunt hurry identify ignore imagine improve
        include inform inspect instruct intend invent invite jog join joke juggle jump kneel knit knock laugh
        launch lead lean learn lend lift listen live load lock march marry measure melt memorize mend migrate mix
        mourn move multiply nod notice obey observe obtain occur offer open order organize owe pack paddle paint
        park pass pause perform persuade pinch place plan plant play please plow plunge point polish pour practice
        praise pray prefer prepare present preserve press pretend prevent print produce promise protect provide
        pull pump punch punish push question quit race rain reach read realize receive recognize recommend record
        reduce reflect refuse regret reject relax release remain remember remind remove repair repeat replace reply
        report rescue respect rest retire return reveal ride rinse roar roast rock roll rotate rub rule run rush
        sail scatter scold scrape scream search seize select sell send serve settle sew shake share shave shine
        shiver shop shout shrug sigh sign sing sip sit skip sleep slide slip smell smile sneeze sniff snore solve
        sort speak spell spend spill spin splash spray sprint squeeze stack stare start stay steer step stir stitch
        stop store stretch study succeed suggest supply support suppose surprise surround survive swallow sway
        sweep swim switch talk taste teach tease tell thank think throw tickle tie tip touch tour trace trade
        train transfer travel treat tremble trust try tug tumble turn twist type understand unfold unite unlock
        unpack upgrade urge use vanish visit wade wait wake walk wander want warn wash watch wave weave weigh
        whisper whistle win wink wish wobble wonder work worry wrap wrestle write yawn yell zoom
        """)

    private static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }
}
