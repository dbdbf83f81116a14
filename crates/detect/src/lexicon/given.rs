//! Given names common across the world, for the rules that read a whole name without a cue
//! (`I met Sarah Johnson`, `Officer Daniel Reyes`). Names that are as often an English word
//! or a place (`Will`, `Grace`, `Jordan`, `Victoria`) and one-syllable pinyin (`Wei`) are
//! left out: a word of this list is a given name wherever it stands capitalised.

/// Lower-cased, separated by spaces.
pub(crate) const GIVEN_NAMES: &str = "\
    aaliyah aaron abbie abby abdul abena abigail adaeze adam aditya adrian adriana adrienne \
    agnieszka ahmed ahmet aiden aiko aimee aisha ajay akira alan alasdair albert alberto alec \
    alejandra alejandro alessandro alex alexander alexandra alexandria alexei alexis alfie \
    alfred ali alice alicia alina alisha alison allan allen allison alma alvin alyssa ama amaka \
    amanda amara amelia amina amir amit amy ana anahit ananya anastasia anders andre andrea \
    andrei andres andrew andrzej andré angela angelica angie angus anil anita anjali ann anna \
    anne anne-marie annette annika anthony antoine antonio antony aoi aoife archie aria ariana \
    ariel arjun armen arthur arun ashlee ashleigh ashley astrid audrey aurelie ayana aylin ayse \
    bailey baptiste barbara barry beatrice beatriz becky belinda bella ben benjamin bernard \
    beth bethan bethany betty beverley beverly bianca bilal billy bjorn björn bobby bogdan bola \
    bonnie boris brad bradley brady bram brandi brandon breanna brenda brendan brent brett \
    brian briana brianna bridget brittany brittney bronwen bruce bruno bryan bryce burak \
    caitlin caitlyn caleb callum calvin cameron camila camille candace candice carl carla \
    carlos carly carmen carole caroline carolyn carrie casey cassandra cassidy cassie catherine \
    cathy cerys cesar chad charlene charles charlie charlotte chelsey cheryl cheyenne chiara \
    chidi chinedu chloe chloé chris christie christina christine christopher christos christy \
    cian ciara ciaran cindy claire clara clare clarence claudia clement clifford clinton clive \
    cody colin colleen collin colton connie connor conor cora corey cory courtney craig \
    cristian cristina curtis cynthia daan daiki damian damien damon dan dana daniel danielle \
    danny darin darius darlene darnell darrell darren darryl daryl dave david davide deandre \
    deanna debbie deborah debra declan deepa deepak denis denise dennis derek derrick deshawn \
    desiree devin devon diana diane diego dillon dimitri dina divya dmitri do-hyun dominic \
    dominique donald donna doris dorothy douglas duane duncan dustin dwayne dylan ebba ebony \
    ebru eddie edgar eduardo edward edwin eileen eilidh elaine eleanor elena eleni elias elif \
    elijah elizabeth ella ellen ellie elliot elliott emeka emilio emily emine emma emmett emre \
    enrique enzo eoin eric erica erik erika erin ernest esi esme eszter ethan ethel eugene eva \
    evan evelyn evie ewa ezra fabio faisal farid fatima fatma felicia felipe felix femi femke \
    fergus fernanda fernando ffion fiona frances francesca francis francisco françois fraser \
    fred freddie frederick freya gabor gabriel gabriela gabriella gabrielle gail galina ganesh \
    gareth garrett garry gary gavin gemma geoffrey george georgina gerald geraldine gerard \
    gilbert gillian gina giorgi giorgos giovanni giulia gladys glenda glenn gloria graeme \
    graham greg gregg gregory greta guillermo gustavo gwen gwendolyn gyorgy günter ha-eun \
    hailey haley hamish hannah hans harold harriet harry haruki haruto harvey hassan hayden \
    hayley heather hector heidi helen henrik henry herbert hilary hilda hiroshi hollie howard \
    huda hugh huong hussein huw hélène iain ian ibrahim ignacio igor imani imogen imran ingrid \
    ioana irene irina iryna isaac isabel isabella isaiah isla istvan ivan iwan iñaki jackie \
    jaclyn jacob jacqueline jada jae-won jaime jake jakub jamal james jamie jan jana jane janet \
    janice jared jasmin jasmine jason javier jaxon jayden jayne jean-luc jeanette jeanne jeff \
    jeffery jeffrey jemma jen jenna jennifer jenny jens jeremiah jeremy jermaine jerome jerry \
    jesse jessica jesus jesús ji-woo jill jillian jim jimmy jiri joan joann joanna joanne joao \
    joaquin jocelyn jodi jodie jody joe joel joey johanna john johnathan johnny jon jonas \
    jonathan jonathon jorge jose joseph josephine josh joshua josé jovana joyce juan judith \
    judy julia julian julie julien julio jurgen justin jérôme jörg jürgen kaitlin kaitlyn kaito \
    kara karan karen kari karim karina karl karla katarina katarzyna kate katelyn katerina \
    kateryna katherine kathleen kathryn kathy katie katrina katy kavita kavya kayla kaylee \
    kayleigh keisha keith kelli kellie kelly kelsey kendra kenji kenneth kerri kerry kevin \
    khalid kiara kieran kim kimberley kimberly kiran kirsten kirsty klaus kofi kostas krista \
    kristen kristi kristie kristin kristina kristine kristopher kristy krystal krzysztof kurt \
    kwame kyle kylie lacey lakshmi larry lars laszlo latasha latisha latoya laura lauren laurie \
    lawrence layla leah leanne leigh leila lena lenka leo leon leonard leonardo leonie leroy \
    lesley leslie levi liam lina linda lindiwe lindsay lindsey linh lisa liz lonnie lorenzo \
    loretta lori lorraine lotte louis louise luca lucas lucia lucie lucy ludmila luigi luis \
    lukas luke lydia lynda lynn lynne léa léon mabel mackenzie madeline magdalena magnus mahesh \
    maja makayla malcolm malik mallory mandy manoj manon manuel marc marcia marco marcus marek \
    margaret maria mariah mariam marian mariana marie marilyn mario marion marisa marissa marta \
    martha martin martina martyn marvin mary mary-jane maryam maría mateo mateus mathew mathieu \
    matilda matt matteo matthew matthias maureen maurice mauricio maximilian maxwell maya \
    mckenzie meagan meera meg megan meghan mehmet mei melanie melinda melissa melvin meredith \
    mette mia micah michael michaela micheal michele michelle miguel mihai mikael mikayla mike \
    mikhail mildred milena millie min-jun mindy minh miranda mitchell mohamed mohammad mohammed \
    molly mona monica monique morag muhammad murat mustafa mårten nancy naomi natalia natalie \
    natasha nathan nathaniel neha neil ngozi niamh nicholas nichole nick nicola nicolas nicole \
    nigel nikhil nikola nikolai nikos nina nino nisha noah nora norman nour oisin oksana oleg \
    oleksandr olga oliver olivia oluwaseun omar ondrej oscar oskar owain owen ozan pablo \
    padraig paige pamela paolo patricia patrick patty paul paula pauline pavel pavol pawel \
    pedro peggy peter petr petra philip phillip phoebe phyllis pierre pieter pilar piotr pooja \
    poppy priscilla priya quang quentin rachael rachel rafael rahul raj rakesh ralph ramesh \
    ramon randall randy rania rashad raul ravi raymond raúl rebecca rebekah reece reem reginald \
    rekha ren renee rené reza rhonda rhys ricardo richard rickey ricky rob robert roberta \
    roberto robyn rocio rodney rodrigo roger rohan rohit ronald ronnie rosemary rosie roy ruben \
    rupert russell ruth ryan sabine sabrina sade sakura salma sam samantha samir samira samuel \
    sandra sanjay sanne santiago saoirse sara sarah scott seamus sean sebastian seda selena \
    selin seo-yeon sergei sergio seth shane shanice shannon shari sharon shaun shawn shawna \
    sheena sheila shelia shelley shelly sheri sherri sherry sheryl shirin shirley sian sigrid \
    silas simone siobhan sipho sofia sonia sonya sophia sophie sora sota spencer stacey stacie \
    stacy stefan stefanie stephanie stephen steve steven stewart stuart stéphane sunil sunita \
    suresh susan suzanne sven svetlana sybil sylvia sébastien søren tabitha takashi takeshi \
    tamara tamas tami tamika tammie tammy tanya tara taras tariq tasha tatiana ted tendai \
    terence teresa tereza terrance terrence terri terry thabo thandi thao thelma theo theodore \
    theresa thiago thomas tiffany tim timothy tina tobias toby todd tom tomas tomasz tommy toni \
    tony tonya tove tracey traci tracie tracy travis trevor tricia tristan troy tuan tunde \
    tyler tyrell tyrone uma valentina valeria valerie vanessa varun velma vernon veronica vicki \
    vickie victor vijay vikram viktor vincent vinicius virginia vivian vladimir walter wanda \
    wayne wendy wesley whitney william willie wojciech wyatt xavier yannis yasmin yesenia \
    yolanda youssef yui yuki yulia yuna yuri yusuf yvette yvonne zachary zaid zainab zanele \
    zeynep zoe zofia zola zoltan zoë zsofia zuzana ángel åsa óscar";

/// Given names that alone are as often a month, a place, a thing or a product (`Jan`,
/// `Virginia`, `Jasmine`, `Tiffany`): the lone-name rule leaves them; a whole name with them is
/// still read.
pub(crate) const LONE_NOT: &[&str] = &[
    "jan",
    "virginia",
    "santiago",
    "charlotte",
    "cheyenne",
    "alexandria",
    "eugene",
    "nancy",
    "chad",
    "shannon",
    "troy",
    "devon",
    "tyler",
    "lorraine",
    "jasmine",
    "heather",
    "rosemary",
    "ebony",
    "oscar",
    "tiffany",
    "sherry",
    "julia",
    "cassandra",
    "gemma",
    "sora",
    "leo",
    "dan",
    "maya",
    "florence",
    "georgia",
    "paris",
    "sydney",
    "savannah",
    "aurora",
    "india",
    "kelvin",
    "sierra",
    "olive",
    "ginger",
    "iris",
    "jade",
    "amber",
    "crystal",
    "angel",
    "ruby",
    "pearl",
    "summer",
    "autumn",
    "dawn",
    "hope",
    "faith",
    "joy",
    "grace",
    "will",
    "mark",
    "bill",
    "frank",
    "may",
    "april",
    "june",
    "august",
    "lincoln",
    "washington",
    "jackson",
    "madison",
    "clinton",
    "kent",
    "carmen",
    "otto",
    "ada",
    "rust",
];
