# Convergence on mnist_mlp:data=fashion: median (line) and interquartile range (band) over 5 runs per optimizer
# Written by optbench report. Re-render in this folder with: gnuplot convergence_mnist_mlp_data_fashion.gp
reset
do for [ext in "png svg"] {
    if (ext eq "png") {
        set terminal pngcairo noenhanced size 960,640 font "Sans,11"
    } else {
        set terminal svg noenhanced size 960,640 dynamic font "Sans,11" background rgb "white"
    }
    set output "convergence_mnist_mlp_data_fashion.".ext
    set title "Convergence on mnist_mlp:data=fashion: median (line) and interquartile range (band) over 5 runs per optimizer"
    set xlabel "evaluations (budget cost units)"
    set ylabel "best-so-far f"
    set logscale x 10
    set format x "% g"
    set logscale y 10
    set format y "%.0e"
    set autoscale xfix
    set grid
    set key below horizontal width 2
    set style fill transparent solid 0.2 noborder
    plot "convergence_mnist_mlp_data_fashion.dat" index 0 using 1:3:4 with filledcurves lc rgb "#0072B2" dt 1 notitle, "" index 0 using 1:2 with linespoints lw 2 lc rgb "#0072B2" dt 1 pt 7 pi -40 title "mdp", "convergence_mnist_mlp_data_fashion.dat" index 1 using 1:3:4 with filledcurves lc rgb "#D55E00" dt 2 notitle, "" index 1 using 1:2 with linespoints lw 2 lc rgb "#D55E00" dt 2 pt 5 pi -40 title "adam:preset=sklearn", "convergence_mnist_mlp_data_fashion.dat" index 2 using 1:3:4 with filledcurves lc rgb "#009E73" dt 3 notitle, "" index 2 using 1:2 with linespoints lw 2 lc rgb "#009E73" dt 3 pt 9 pi -40 title "adam", "convergence_mnist_mlp_data_fashion.dat" index 3 using 1:3:4 with filledcurves lc rgb "#CC79A7" dt 4 notitle, "" index 3 using 1:2 with linespoints lw 2 lc rgb "#CC79A7" dt 4 pt 11 pi -40 title "cmaes:covariance=sep,sigma0=0.02", "convergence_mnist_mlp_data_fashion.dat" index 4 using 1:3:4 with filledcurves lc rgb "#E69F00" dt 5 notitle, "" index 4 using 1:2 with linespoints lw 2 lc rgb "#E69F00" dt 5 pt 13 pi -40 title "random_search"
    unset output
}
