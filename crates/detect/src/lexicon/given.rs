//! Given names common across the world, for the rules that read a whole name without a cue
//! (`I met Sarah Johnson`, `Officer Daniel Reyes`). Names that are as often an English word
//! or a place (`Will`, `Grace`, `Jordan`, `Victoria`) and one-syllable pinyin (`Wei`) are
//! left out: a word of this list is a given name wherever it stands capitalised.

/// Lower-cased, separated by spaces.
pub(crate) const GIVEN_NAMES: &str = "\
    aaliyah aaron abby abdul abena abigail adaeze adam aditya adrian agnieszka ahmed ahmet aiden \
    aiko aisha ajay akira alan alasdair albert alberto alejandro alessandro alexander alexei \
    alfie ali alice alina alma alyssa ama amaka amanda amara amelia amina amir amit amy anahit \
    ananya anastasia anders andrea andrei andres andrew andrzej andré angela angus anil anjali \
    anna anne-marie annika anthony antoine antonio aoi aoife archie aria arjun armen arthur arun \
    ashley astrid aurelie ayana aylin ayse baptiste barbara beatrice beatriz becky bella ben \
    benjamin beth bethany betty bilal billy bjorn björn bobby bogdan bola boris brad bram \
    brandon brenda brent brian brianna brittany bronwen bruno bryan burak caitlin caleb callum \
    camila camille carlos carmen carolyn catherine cerys chad charles charlie charlotte cheryl \
    chiara chidi chinedu chloe chloé chris christina christine christopher christos cian ciara \
    ciaran clara clement clive cody colin colton connor cora courtney cynthia daan daiki damian \
    dan dana daniel danielle darius darnell dave david davide deandre deborah debra declan deepa \
    deepak dennis derek derrick deshawn diana diego dimitri dina divya dmitri do-hyun dominic \
    donald donna doris dorothy douglas duncan dustin dwayne dylan ebba ebony ebru eduardo edward \
    eilidh eleanor elena eleni elias elif elijah elizabeth ella ellie elliot emeka emilio emily \
    emine emma emmett emre enrique enzo eoin eric erica erik erin esi esme eszter ethan ethel \
    eugene eva evan evelyn evie ewa ezra fabio faisal farid fatima fatma felipe felix femi femke \
    fergus fernanda fernando ffion fiona francesca francisco françois fraser freddie freya gabor \
    gabriela galina ganesh gareth gary gavin gemma george gerald gina giorgi giorgos giovanni \
    giulia gladys gloria greg gregory greta guillermo gustavo gwen gyorgy günter ha-eun hailey \
    hamish hannah hans harold harriet harry haruki haruto harvey hassan heather hector heidi \
    helen henrik henry hilda hiroshi huda huong hussein huw hélène iain ian ibrahim ignacio igor \
    imani imogen imran ingrid ioana irene irina iryna isaac isabel isabella isla istvan ivan \
    iwan iñaki jacob jacqueline jada jae-won jake jakub jamal james jan jana janet jasmine jason \
    javier jaxon jayden jean-luc jeff jeffrey jen jenna jennifer jenny jens jeremy jerry jesse \
    jessica jesus jesús ji-woo jim jiri joanna joao joaquin joe joey johanna john jonas jonathan \
    jorge jose joseph josh joshua josé jovana joyce juan judith judy julia julian julien julio \
    jurgen justin jérôme jörg jürgen kaitlyn kaito karan karen karim katarina katarzyna kate \
    katerina kateryna katherine kathleen kathy katie kavita kavya kayla keisha keith kelly \
    kelsey kenji kenneth kevin khalid kiara kim kimberly kiran klaus kofi kostas krzysztof kwame \
    kyle lakshmi larry lars laszlo latisha latoya laura lauren lawrence layla leah leila lena \
    lenka leo leonard leonardo leonie leroy liam lina linda lindiwe lindsey linh lisa liz \
    lorenzo lotte louis luca lucas lucia lucie lucy ludmila luigi luis lukas luke léa léon mabel \
    magdalena magnus mahesh maja malik manoj manon manuel marco marcus marek margaret maria \
    mariam mariana marie mario marta martha martina marvin mary mary-jane maryam maría mateo \
    mateus mathieu matilda matt matteo matthew matthias mauricio maximilian maya meera meg megan \
    mehmet mei melissa mette mia micah michael michelle miguel mihai mikael mike mikhail mildred \
    milena millie min-jun minh mohamed mohammed molly mona monica morag muhammad murat mustafa \
    mårten nancy naomi natalia natalie natasha nathan nathaniel neha neil ngozi niamh nicholas \
    nick nicolas nicole nigel nikhil nikola nikolai nikos nina nino nisha noah nora nour oisin \
    oksana oleg oleksandr olga oliver olivia oluwaseun omar ondrej oscar oskar owain owen ozan \
    pablo padraig pamela paolo patricia patrick paul pavel pavol pawel pedro peggy peter petr \
    petra philip phoebe pierre pieter pilar piotr pooja poppy priya quang quentin rachel rafael \
    rahul raj rakesh ralph ramesh ramon randy rania rashad raul ravi raymond raúl rebecca reem \
    rekha ren rené reza rhys ricardo rob robert roberto rocio rodrigo roger rohan rohit ronald \
    rosie roy ruben rupert russell ryan sabine sade sakura salma sam samantha samir samira \
    samuel sandra sanjay sanne santiago saoirse sara sarah scott seamus sean sebastian seda \
    selin seo-yeon sergei sergio shane shanice shannon sharon shirin shirley sian sigrid silas \
    simone siobhan sipho sofia sophia sophie sora sota stacey stefan stephanie steve steven \
    stéphane sunil sunita suresh susan sven svetlana sybil sylvia sébastien søren takashi \
    takeshi tamas tamika tanya tara taras tariq tatiana ted tendai teresa tereza terrence terry \
    thabo thandi thao thelma theo thiago thomas tim timothy tina tobias todd tom tomas tomasz \
    tony tove travis tuan tunde tyler tyrell tyrone uma valentina valeria vanessa varun velma \
    victor vijay vikram viktor vinicius virginia vivian vladimir walter wanda wayne wendy \
    whitney william willie wojciech xavier yannis yasmin yolanda youssef yui yuki yulia yuna \
    yuri yusuf yvonne zachary zaid zainab zanele zeynep zoe zofia zola zoltan zoë zsofia zuzana \
    ángel åsa óscar";
