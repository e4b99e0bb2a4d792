# Critical differences, all problems = suite bbob: average ranks over 96 problems (Friedman p = 0.066); bars join optimizers within the Nemenyi CD = 0.2
# Written by optbench report. Re-render in this folder with: gnuplot cd_all_problems_suite_bbob.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 798,207 font "Sans,11"
    } else {
        set terminal svg noenhanced size 798,207 dynamic font "Sans,11" background rgb "white"
    }
    set output "cd_all_problems_suite_bbob.".ext
    set title "all problems = suite bbob: 96 problems, Friedman p = 0.066"
    unset key
    unset border
    unset tics
    set lmargin at screen 0
    set rmargin at screen 1
    set bmargin at screen 0
    set tmargin at screen 0.8067632850241546
    set xrange [0.17000000000000004:2.83]
    set yrange [1.75:-2.2]
    set label 1 "cmaes (1.41)" at 0.8755000000000001,1.15 right offset -0.5,0
    set label 2 "cyberagent_cma (1.59)" at 2.1245,1.15 left offset 0.5,0
    set label 3 "1" at 1,-0.55 center
    set label 4 "2" at 2,-0.55 center
    set label 5 "CD = 0.2" at 1.1000189932573894,-1.9 center
    plot "cd_all_problems_suite_bbob.dat" index 0 using 1:2 with lines lw 2 lc rgb "#0072B2" dt 1 notitle, "" index 0 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#0072B2" dt 1 pt 7 notitle, "cd_all_problems_suite_bbob.dat" index 1 using 1:2 with lines lw 2 lc rgb "#D55E00" dt 2 notitle, "" index 1 every ::0::0 using 1:2 with points ps 1.5 lw 2 lc rgb "#D55E00" dt 2 pt 5 notitle, "cd_all_problems_suite_bbob.dat" index 2 using 1:2 with lines lw 1 lc rgb "black" notitle, "cd_all_problems_suite_bbob.dat" index 3 using 1:2 with lines lw 5 lc rgb "black" notitle
    unset output
}
